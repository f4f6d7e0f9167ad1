"""The offline demo: a UPI mirror on 127.0.0.1 (:mod:`crawler.demo.mirror`), crawled by ``wirecrawl
demo`` and kept up by ``wirecrawl serve-demo`` (:mod:`crawler.demo.run`)."""
