"""Project commands: ``crawl`` here replaces Scrapy's to give cron a meaningful exit status."""
