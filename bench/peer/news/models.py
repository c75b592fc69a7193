"""The news section as Wagtail's tutorial builds its blog: an index page and its news pages."""

from django.core.paginator import Paginator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

PAGE_SIZE = 20


class NewsIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.NewsPage"]

    def news_pages(self):
        return NewsPage.objects.child_of(self).live().order_by("-date")

    def paginate(self, request, pages):
        return Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page"))

    @path("")
    def listing(self, request):
        pages = self.paginate(request, self.news_pages())
        return self.render(request, context_overrides={"news_pages": pages})

    @path("tags/<str:tag>/")
    def tag_listing(self, request, tag):
        pages = self.paginate(request, self.news_pages().filter(tags__name=tag))
        return self.render(request, context_overrides={"news_pages": pages, "tag": tag})


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(Page):
    date = models.DateTimeField("Post date")
    intro = models.TextField()
    body = RichTextField(blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["news.NewsIndexPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_index"] = self.get_parent().specific
        return context
