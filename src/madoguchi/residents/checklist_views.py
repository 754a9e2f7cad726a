"""MyPage's saved checklists: keep the guide's checklist, see it again with its
deadlines, apply online from it, throw it away. Only the owner reaches one
(anything else is 404), and each view is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.catalog import guide_state
from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.views import checklist_context
from madoguchi.common import audit
from madoguchi.residents import checklists
from madoguchi.residents.models import SavedChecklist


@login_required
@require_http_methods(["GET", "POST"])
def save(request: HttpRequest, event: str) -> HttpResponse:
    """Keep the checklist the guide shows for ``event`` (its answers are in the
    session). GET asks first: it is where the login page sends the resident back."""
    life_event = current_catalog().life_events.get(event)
    if life_event is None:
        raise Http404
    situation = guide_state.load(request, event)
    if situation is None:
        return render(request, "residents/checklist_gone.html", {"life_event": life_event})
    if request.method == "GET":
        return render(request, "residents/checklist_save.html", {"life_event": life_event})
    saved = checklists.keep(request.user, situation, actor=request)
    messages.success(request, _("やることリストをマイページに保存しました。"))
    return redirect("residents:checklist", saved.public_id)


def _owned(request, public_id) -> SavedChecklist:
    return get_object_or_404(SavedChecklist, owner=request.user, public_id=public_id)


@login_required
def detail(request: HttpRequest, public_id) -> HttpResponse:
    saved = _owned(request, public_id)
    catalog = current_catalog()
    situation = checklists.situation_of(saved)
    life_event = catalog.life_events.get(saved.event)
    if situation is None or life_event is None:
        raise Http404
    audit.record(request, "view", checklists.TARGET, saved.public_id)
    lang = get_language() or "ja"
    result = run_guide(catalog, situation, lang)
    context = checklist_context(life_event, situation, result, lang)
    context.update(
        saved=saved,
        made_on=timezone.localtime(saved.saved_at).date(),
        apply_query=f"checklist={saved.public_id}",
    )
    return render(request, "residents/checklist.html", context)


@login_required
@require_POST
def delete(request: HttpRequest, public_id) -> HttpResponse:
    saved = _owned(request, public_id)
    audit.record(request, "delete", checklists.TARGET, saved.public_id)
    saved.delete()
    messages.success(request, _("保存したやることリストを消しました。"))
    return redirect("residents:mypage")
