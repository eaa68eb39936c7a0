"""Kotak keluar: the organiser sees every e-mail the portal queued, and resends failed ones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outbox.models import Mail, MailStatus
from outbox.selectors import mail_counts, mail_list
from outbox.services import mail_resend

from .access import permission_required

PAGE_SIZE = 50


@permission_required("competition.manage_outbox")
def outbox(request):
    mails = mail_list(request.GET)
    page = Paginator(mails.qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    counts = mail_counts()
    data = mails.form.cleaned_data
    context = {
        "page": page,
        "form": mails.form,
        "status": data.get("status", ""),
        "query": data.get("cari", ""),
        "tabs": [(value, label, counts[value]) for value, label in MailStatus.choices],
        "failed": MailStatus.FAILED,
    }
    return render(request, "competition/organiser/outbox.html", context)


@permission_required("competition.manage_outbox")
@require_POST
def outbox_resend(request, pk):
    mail = get_object_or_404(Mail, pk=pk)
    try:
        mail_resend(mail=mail, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("E-mail ke %(email)s masuk antrean lagi dan segera dikirim.")
            % {"email": mail.to_email},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("competition:outbox")
    return redirect(back)
