"""MyPage and the household profile page. Every look at or change of the
profile is written to the audit log (field names only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from madoguchi.common import audit
from madoguchi.common.forms import row_index
from madoguchi.common.text_input import address_for_postal_code, tidy_postal_code
from madoguchi.residents import mypage as mypage_sections
from madoguchi.residents.forms import MAX_MEMBERS, MemberFormSet, ProfileForm, member_initial
from madoguchi.residents.identity import verified_identity_for
from madoguchi.residents.identity.store import TARGET as IDENTITY
from madoguchi.residents.models import Profile
from madoguchi.residents.profile import TARGET as PROFILE
from madoguchi.residents.profile import save_profile
from madoguchi.residents.rows import quiet, quiet_formset, with_row_added, with_row_removed

PREFIX = "m"


@login_required
def mypage(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user).first()
    identity = verified_identity_for(request.user)
    if profile is not None:
        audit.record(request, "view", PROFILE, profile.pk, page="mypage")
    if identity is not None:
        audit.record(request, "view", IDENTITY, identity.pk, page="mypage")
    context = {
        "profile": profile,
        "identity": identity,
        "sections": mypage_sections.sections(),
    }
    return render(request, "residents/mypage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.filter(user=request.user).first()
    if request.method == "GET":
        if profile is not None:
            audit.record(request, "view", PROFILE, profile.pk, page="profile_edit")
        form = ProfileForm(instance=profile)
        formset = MemberFormSet(
            prefix=PREFIX, initial=member_initial(profile.members if profile else [])
        )
        return _page(request, form, formset)

    data = request.POST.copy()
    data[f"{PREFIX}-INITIAL_FORMS"] = "0"  # every row is read afresh; empty ones dropped
    if "add_member" in data:
        data = with_row_added(data, PREFIX, MAX_MEMBERS)
    elif "remove_member" in data:
        index = row_index(data["remove_member"], MAX_MEMBERS)
        if index is not None:
            data = with_row_removed(data, PREFIX, index)
    form = ProfileForm(data, instance=profile)
    formset = MemberFormSet(data, prefix=PREFIX)

    if "fill_address" in data:
        return _fill_address(request, form, formset, data)
    if "add_member" in data or "remove_member" in data:
        quiet(form)
        quiet_formset(formset)
        return _page(request, form, formset, focus="members")
    if form.is_valid() and formset.is_valid():
        saved = form.save(commit=False)
        saved.user = request.user
        members = formset.members()
        changed = list(form.changed_data)
        if profile is None or members != profile.members:
            changed.append("members")
        saved.members = members
        save_profile(request, saved, changed)
        messages.success(request, _("世帯のプロフィールを保存しました"))
        return redirect("residents:mypage")
    return _page(request, form, formset, show_summary=True)


def _fill_address(request, form, formset, data) -> HttpResponse:
    """「住所を入れる」: the address for the postal code, without saving."""
    quiet_formset(formset)
    try:
        code = tidy_postal_code(data.get("postal_code", ""))
        found = address_for_postal_code(code)
    except ValueError as exc:
        code, found, problem = None, None, str(exc)
    else:
        problem = None if found else _("この郵便番号の住所が見つかりません。番号を確かめてください")
    if found:
        data = data.copy()
        data["postal_code"], data["address"] = code, found
        form = ProfileForm(data, instance=form.instance)
    quiet(form)
    if problem:
        form._errors["postal_code"] = form.error_class([problem])
    return _page(request, form, formset, focus="address", filled=bool(found))


def _page(request, form, formset, *, show_summary=False, focus="", filled=False):
    problems = []
    if show_summary:
        for field in form:
            for error in field.errors:
                problems.append({"href": _anchor(field), "text": f"{field.label}: {error}"})
        for n, row in enumerate(formset.forms, start=1):
            for field in row:
                for error in field.errors:
                    label = _("%(n)s人目の%(label)s") % {"n": n, "label": field.label}
                    problems.append({"href": _anchor(field), "text": f"{label}: {error}"})
        for error in formset.non_form_errors():
            problems.append({"href": "#members", "text": error})
    context = {
        "form": form,
        "formset": formset,
        "problems": problems,
        "focus": focus,
        "filled": filled,
        "max_members": MAX_MEMBERS,
    }
    return render(request, "residents/profile_form.html", context)


def _anchor(field) -> str:
    """Where an error summary link goes: a date's first box, a choice's first option."""
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget | forms.RadioSelect):
        return f"#{field.auto_id}_{_first_suffix(widget)}"
    return f"#{field.auto_id}"


def _first_suffix(widget) -> str:
    suffixes = getattr(widget, "widgets_names", None)
    return suffixes[0].lstrip("_") if suffixes else "0"
