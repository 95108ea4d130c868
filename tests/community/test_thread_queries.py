"""Reading a thread costs the same number of queries whatever its size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.community.threads import thread_page


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_api_thread_page_queries_do_not_grow_with_the_thread(
    grow_thread, client, make_article, reader, second_reader
):
    small, big = make_article("Small thread"), make_article("Big thread")
    grow_thread(small, [reader, second_reader], top_level=3, replies_each=1)
    grow_thread(big, [reader, second_reader], top_level=120, replies_each=6)

    def read(article):
        return lambda: client.get(f"/api/v1/articles/{article.pk}/comments")

    small_count = queries(read(small))
    assert small_count == queries(read(big))
    assert small_count <= 8


def test_signed_in_reader_adds_a_fixed_number_of_queries(
    grow_thread, make_article, reader, second_reader
):
    article = make_article()
    grow_thread(article, [reader, second_reader], top_level=40, replies_each=3)
    anonymous = queries(lambda: thread_page(article=article, viewer=None))
    signed_in = queries(lambda: thread_page(article=article, viewer=reader))
    assert signed_in == anonymous + 1  # which of the shown comments the reader liked


def test_replies_shown_per_thread_are_capped(
    grow_thread, make_article, reader, second_reader, settings
):
    settings.MASTHEAD = {**settings.MASTHEAD, "REPLIES_SHOWN": 5}
    article = make_article()
    grow_thread(article, [reader, second_reader], top_level=2, replies_each=12)
    page = thread_page(article=article)
    assert [len(c.replies) for c in page.comments] == [5, 5]
    assert all(c.reply_count == 12 for c in page.comments)
