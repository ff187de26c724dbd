"""Scrapy's side of the crawl benchmark: follow every link from the start URL on the same host,
yielding one item per page (url, status, body size) into a JSON-lines feed. JOBDIR makes the
crawl resumable, the feature Marquee's frontier provides."""
import scrapy


class TreeSpider(scrapy.Spider):
    name = "tree"

    def __init__(self, start=None, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        yield {"url": response.url, "status": response.status, "bytes": len(response.body)}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
