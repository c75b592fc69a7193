from django.contrib.syndication.views import Feed

from news.models import NewsPage


class LatestNewsFeed(Feed):
    title = "Press service (Wagtail)"
    link = "/"
    description = "The latest news"

    def items(self):
        return NewsPage.objects.live().order_by("-date")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.full_url

    def item_pubdate(self, item):
        return item.date
