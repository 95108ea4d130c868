from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "masthead.revenue"
    label = "revenue"
    verbose_name = "Revenue"
