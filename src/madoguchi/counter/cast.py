"""The counter's clerks as tests and the demo make them: ``ensure_counter_clerk``
(idempotent). A 総合窓口 clerk is in the group 「総合窓口」, which holds
``counter.serve_counter``, and in no department: they file for every department but
read none of the departments' queues."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from madoguchi.backoffice.cast import ensure_account, ensure_totp
from madoguchi.counter.models import CounterClerk

# The demo's and the tests' counter clerk: (email, 姓, 名).
MADOGUCHI = ("madoguchi@example.jp", "森", "明美")
GROUP = "総合窓口"


def counter_group() -> Group:
    """The group 「総合窓口」 with the permission to serve at the counter (the admin
    puts clerks into it)."""
    group, _made = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="counter", codename="serve_counter")
    )
    return group


@transaction.atomic
def ensure_counter_clerk(
    email: str, password: str, family_name: str, given_name: str, *,
    totp_secret: str | None = None,
):  # fmt: skip
    """A 総合窓口 clerk who can sign in at once, with TOTP when ``totp_secret`` is
    given (unless they have one already)."""
    user = ensure_account(email, password, family_name, given_name)
    user.groups.add(counter_group())
    CounterClerk.objects.get_or_create(user=user)  # of the active town
    user.__dict__.pop("_counter_clerk", None)  # access.can_serve_counter's cache
    ensure_totp(user, totp_secret)
    return user
