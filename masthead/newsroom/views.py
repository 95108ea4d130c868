"""Tag and author pages: paginated lists of articles."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from masthead.newsroom.models import ArticlePage, Author
from masthead.newsroom.services import paginate


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = ArticlePage.objects.listed().filter(tagged_items__tag=tag)
    return render(
        request,
        "newsroom/tag_page.html",
        {"tag": tag, "page_obj": paginate(articles, request.GET.get("page"))},
    )


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = ArticlePage.objects.listed().filter(bylines__author=author)
    return render(
        request,
        "newsroom/author_page.html",
        {"author": author, "page_obj": paginate(articles, request.GET.get("page"))},
    )
