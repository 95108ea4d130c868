"""The editorial demo: a writer, corrections, a scheduled story and one waiting for review."""

from wagtail.models import Revision, WorkflowState

from masthead.accounts.models import Role, User
from masthead.editorial.demo import WRITER_EMAIL, load_demo_editorial
from masthead.editorial.models import Correction
from masthead.newsroom.models import ArticlePage


def test_demo_editorial_content_loads_and_loads_again(make_article, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    for number in range(3):
        make_article(f"Demo story {number}")
    (account,) = load_demo_editorial()
    writer = User.objects.get(email=WRITER_EMAIL)
    assert writer.has_role(Role.WRITER) and writer.check_password(account.password)
    assert Correction.objects.count() == 2
    scheduled = ArticlePage.objects.get(slug="night-ferry-timetable")
    assert not scheduled.live
    assert Revision.objects.filter(
        object_id=str(scheduled.pk), approved_go_live_at__isnull=False
    ).exists()
    waiting = ArticlePage.objects.get(slug="allotment-waiting-list")
    assert WorkflowState.objects.get(object_id=str(waiting.pk)).status == "in_progress"

    (again,) = load_demo_editorial()
    assert again.password == account.password
    assert Correction.objects.count() == 2
    assert ArticlePage.objects.filter(slug="night-ferry-timetable").count() == 1
