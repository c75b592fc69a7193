from django.urls import path

from news import attachments, feed_urls, indexes, low_vision, pages, previews, views

app_name = "news"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="release-list"),
    path("news/<slug:slug>/", views.ReleaseDetailView.as_view(), name="release-detail"),
    path("news/<slug:slug>/changes/<int:note>/", views.release_change, name="release-change"),
    path("preview/<str:token>/", previews.release_preview, name="release-preview"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment-download"),
    # The indexes of what releases speak of.
    path("officials/", indexes.OfficialIndexView.as_view(), name="official-index"),
    path("organisations/", indexes.OrganisationIndexView.as_view(), name="organisation-index"),
    path("topics/", indexes.TopicIndexView.as_view(), name="topic-index"),
    path("countries/", indexes.CountryIndexView.as_view(), name="country-index"),
    path("delegations/", indexes.DelegationIndexView.as_view(), name="delegation-index"),
    path("officials/<slug:slug>/", views.OfficialDetailView.as_view(), name="official-detail"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country-detail"),
    path(
        "delegations/<slug:slug>/", views.DelegationDetailView.as_view(), name="delegation-detail"
    ),
    path("topics/<str:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("about/<slug:slug>/", pages.page_detail, name="page"),
    path("low-vision/", low_vision.low_vision, name="low-vision"),
    path("kinds/<str:kind>/", views.KindReleasesView.as_view(), name="kind-list"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("archive/<int:year>/", views.ArchiveView.as_view(), name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.ArchiveView.as_view(), name="archive-month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.ArchiveView.as_view(),
        name="archive-day",
    ),
    # All feeds and the page listing them: feed-rss, feed-atom, official-feed-rss...
    *feed_urls.urlpatterns,
]
