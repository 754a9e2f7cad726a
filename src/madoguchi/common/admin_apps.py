"""``django.contrib.admin`` with the audited site (``admin_site.py``); named in
``INSTALLED_APPS`` in its place (a module of its own: ``apps.py`` is the common app's)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "madoguchi.common.admin_site.AuditedAdminSite"
