"""The participant's URLs (mounted at /cocreation/ by settings.urls)."""

from django.urls import path

from cocreation import views

app_name = "cocreation"
urlpatterns = [
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("worksheet/<uuid:public_id>/", views.worksheet, name="worksheet"),
    path("worksheet/<uuid:public_id>/data", views.worksheet_data, name="data"),
    path("worksheet/<uuid:public_id>/save", views.save, name="save"),
    path("worksheet/<uuid:public_id>/submit", views.submit, name="submit"),
    path("rounds/<int:round_id>/signup/", views.signup, name="signup"),
]
