from django.urls import path

from news.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.sent, name="sent"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscribe/manage/<str:token>/", views.manage, name="manage"),
    path("subscribe/manage/<str:token>/export.json", views.export, name="export"),
]
