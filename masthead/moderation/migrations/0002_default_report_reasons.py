"""The default report reasons (stable codes; labels and help text editable in the CMS)."""

from django.db import migrations

REASONS = [
    ("abuse", "Abusive or harassing", "It attacks, insults, threatens or targets a person.", None),
    (
        "hate",
        "Hate speech",
        "It demeans people for who they are: their origin, religion, gender, sexuality, "
        "disability or similar.",
        None,
    ),
    ("spam", "Spam or advertising", "It sells something, links to junk or repeats itself.", None),
    ("off_topic", "Off topic", "It has nothing to do with the story or the conversation.", None),
    (
        "misinformation",
        "Misinformation",
        "It states as fact something false that could mislead or harm readers.",
        None,
    ),
    (
        "legal",
        "A legal concern",
        "It could be unlawful to publish: defamation, contempt of court, or it identifies "
        "someone the law protects (a victim, a child, a witness).",
        1,
    ),
    (
        "other",
        "Something else",
        "It breaks our guidelines in another way: tell us in the note.",
        None,
    ),
]


def seed(apps, schema_editor):
    ReportReason = apps.get_model("moderation", "ReportReason")
    for order, (code, label, help_text, threshold) in enumerate(REASONS):
        ReportReason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "help_text": help_text,
                "hide_threshold": threshold,
                "sort_order": order * 10,
                "active": True,
            },
        )


def unseed(apps, schema_editor):
    ReportReason = apps.get_model("moderation", "ReportReason")
    ReportReason.objects.filter(code__in=[r[0] for r in REASONS], reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
