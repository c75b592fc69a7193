from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from news.models import NewsPage


def search(request):
    search_query = request.GET.get("query", None)
    if search_query:
        search_results = NewsPage.objects.live().search(search_query)
    else:
        search_results = NewsPage.objects.none()
    search_results = Paginator(search_results, 20).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": search_query, "search_results": search_results},
    )
