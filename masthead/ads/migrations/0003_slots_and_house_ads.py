"""Named slots (leaderboard, in-article, sidebar) and house ads.

The old AdSlot held one creative per placement; its creatives become house ads in the slot at
the same place (above the article or the front: leaderboard; after the story: sidebar), and
AdSlot becomes the configuration of the three named slots.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_PLACEMENT_TO_SLOT = {
    "article-top": "leaderboard",
    "front-top": "leaderboard",
    "article-end": "sidebar",
}
SLOTS = [
    # name, reserved size, after paragraph
    ("leaderboard", "728x90", 3),
    ("in-article", "300x250", 3),
    ("sidebar", "300x250", 3),
]


def copy_creatives_to_house_ads(apps, schema_editor):
    AdSlot = apps.get_model("ads", "AdSlot")
    HouseAd = apps.get_model("ads", "HouseAd")
    for old in AdSlot.objects.order_by("pk"):
        if not (old.text or old.image_id):
            continue
        HouseAd.objects.create(
            name=(old.advertiser or "House ad")[:120],
            slot=OLD_PLACEMENT_TO_SLOT.get(old.placement, "leaderboard"),
            text=old.text or old.advertiser or "Advertisement",
            image_id=old.image_id,
            link_url=old.link_url,
            active=old.active,
        )
    AdSlot.objects.all().delete()


def forget_house_ads(apps, schema_editor):
    apps.get_model("ads", "HouseAd").objects.all().delete()


def create_the_three_slots(apps, schema_editor):
    AdSlot = apps.get_model("ads", "AdSlot")
    for name, size, after in SLOTS:
        AdSlot.objects.get_or_create(
            name=name, defaults={"size": size, "after_paragraph": after, "enabled": True}
        )


def remove_the_slots(apps, schema_editor):
    apps.get_model("ads", "AdSlot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ads", "0002_initial"),
        ("newsroom", "0002_front_picks_and_hourly_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="HouseAd",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="For the CMS, e.g. 'Newsletter, spring'.", max_length=120
                    ),
                ),
                (
                    "slot",
                    models.CharField(
                        choices=[
                            ("leaderboard", "Leaderboard: top of articles and fronts"),
                            ("in-article", "In article: between paragraphs"),
                            ("sidebar", "Sidebar: beside fronts, after the story on articles"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "text",
                    models.CharField(
                        help_text="What the ad says: shown over the image, or alone when there is none. Screen readers read it.",
                        max_length=200,
                    ),
                ),
                (
                    "link_url",
                    models.URLField(blank=True, help_text="Where a click on the ad goes."),
                ),
                (
                    "starts_at",
                    models.DateTimeField(blank=True, help_text="Empty: from now.", null=True),
                ),
                (
                    "ends_at",
                    models.DateTimeField(
                        blank=True, help_text="Empty: until switched off.", null=True
                    ),
                ),
                ("active", models.BooleanField(default=True)),
            ],
            options={
                "ordering": ["slot", "name"],
            },
        ),
        migrations.AddField(
            model_name="housead",
            name="image",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="newsroom.photo",
            ),
        ),
        migrations.AddConstraint(
            model_name="housead",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("starts_at__isnull", True),
                    ("ends_at__isnull", True),
                    ("ends_at__gt", models.F("starts_at")),
                    _connector="OR",
                ),
                name="house_ad_ends_after_it_starts",
            ),
        ),
        migrations.RunPython(copy_creatives_to_house_ads, forget_house_ads),
        migrations.RemoveField(
            model_name="adslot",
            name="active",
        ),
        migrations.RemoveField(
            model_name="adslot",
            name="advertiser",
        ),
        migrations.RemoveField(
            model_name="adslot",
            name="image",
        ),
        migrations.RemoveField(
            model_name="adslot",
            name="link_url",
        ),
        migrations.RemoveField(
            model_name="adslot",
            name="placement",
        ),
        migrations.RemoveField(
            model_name="adslot",
            name="text",
        ),
        migrations.AlterModelOptions(
            name="adslot",
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="adslot",
            name="ad_unit_path",
            field=models.CharField(
                blank=True,
                help_text="Google Ad Manager ad unit path, e.g. /1234567/courier/leaderboard.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="adslot",
            name="after_paragraph",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="In-article slot only: the ad follows this paragraph. Shorter stories, with no paragraph after it, carry no in-article ad.",
            ),
        ),
        migrations.AddField(
            model_name="adslot",
            name="enabled",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="adslot",
            name="fill",
            field=models.CharField(
                choices=[
                    ("house", "House ads"),
                    ("provider", "Ad provider's tag (Google Ad Manager)"),
                ],
                default="house",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="adslot",
            name="name",
            field=models.CharField(
                choices=[
                    ("leaderboard", "Leaderboard: top of articles and fronts"),
                    ("in-article", "In article: between paragraphs"),
                    ("sidebar", "Sidebar: beside fronts, after the story on articles"),
                ],
                default="leaderboard",
                max_length=20,
                unique=True,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="adslot",
            name="provider_sizes",
            field=models.CharField(
                blank=True,
                help_text="Sizes the provider may fill, comma-separated, e.g. 728x90,970x90. Leave blank to use the slot's size.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="adslot",
            name="size",
            field=models.CharField(
                choices=[
                    ("728x90", "Leaderboard, 728 x 90"),
                    ("970x250", "Billboard, 970 x 250"),
                    ("300x250", "Medium rectangle, 300 x 250"),
                    ("300x600", "Half page, 300 x 600"),
                    ("320x100", "Large mobile banner, 320 x 100"),
                ],
                default="300x250",
                help_text="The space kept for the ad, so the page does not jump when it loads.",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="adslot",
            constraint=models.CheckConstraint(
                condition=models.Q(("after_paragraph__gte", 1)), name="ad_slot_after_a_paragraph"
            ),
        ),
        migrations.RunPython(create_the_three_slots, remove_the_slots),
    ]
