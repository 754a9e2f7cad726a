"""``django.contrib.admin`` with our site (admin_site.py) as its default site. Kept
apart: this module is imported while the apps load, the site only when used."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "madoguchi.backoffice.admin_site.StaffAdminSite"
