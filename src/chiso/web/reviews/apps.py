from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "chiso.web.reviews"
    label = "reviews"
