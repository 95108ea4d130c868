"""Tag and author pages: paginated lists of articles, cached whole for every reader."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from masthead.caching import cacheable
from masthead.caching import keys as surrogate
from masthead.caching.pages import SITE
from masthead.newsroom.models import ArticlePage, Author
from masthead.newsroom.services import list_page


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = ArticlePage.objects.listed().filter(tagged_items__tag=tag)
    page_obj = list_page(articles, request.GET.get("page"))
    response = render(request, "newsroom/tag_page.html", {"tag": tag, "page_obj": page_obj})
    keys = {surrogate.tag(tag.slug), surrogate.NAV, SITE, *surrogate.articles(page_obj)}
    return cacheable(response, keys=keys, kind="list")


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = ArticlePage.objects.listed().filter(bylines__author=author)
    page_obj = list_page(articles, request.GET.get("page"))
    response = render(
        request, "newsroom/author_page.html", {"author": author, "page_obj": page_obj}
    )
    keys = {surrogate.author(author.slug), surrogate.NAV, SITE, *surrogate.articles(page_obj)}
    return cacheable(response, keys=keys, kind="list")
