"""One module per wire service; :mod:`crawler.spiders.base` holds what they share."""
