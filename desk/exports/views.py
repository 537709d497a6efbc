"""Downloads of the desk's records (XLSX and CSV) and the page that lists them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.scope import desk_scope, regions_for
from regions.models import Regency

from .spreadsheets import EXPORTS, ExportParamError, csv_lines, export_filter_parse, xlsx_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _parse(request):
    if desk_scope(request.user).role is None:
        raise PermissionDenied
    try:
        return export_filter_parse(request.GET, visible_regencies=regions_for(request.user, Regency))
    except Regency.DoesNotExist:
        raise Http404 from None


def _filename(what, export_filter, extension):
    parts = [what, export_filter.regency.code if export_filter.regency else None,
             export_filter.date_from and f"{export_filter.date_from:%Y-%m-%d}",
             export_filter.date_to and f"{export_filter.date_to:%Y-%m-%d}"]
    return "_".join(part for part in parts if part) + f".{extension}"


@login_required
@require_GET
def export_download(request, what, extension):
    """One export in one format, of what the user may see, honouring ?from=&to=&regency=."""
    if what not in EXPORTS:
        raise Http404
    try:
        export_filter = _parse(request)
    except ExportParamError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    export = EXPORTS[what]()
    filename = _filename(what, export_filter, extension)
    if extension == "csv":
        response = StreamingHttpResponse(csv_lines(export, request.user, export_filter),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(xlsx_file(export, request.user, export_filter), as_attachment=True, filename=filename,
                        content_type=XLSX)


@login_required
@require_GET
def export_index(request):
    """Every export with the chosen period and regency, as links."""
    error = None
    try:
        export_filter = _parse(request)
    except ExportParamError as problem:
        error, export_filter = str(problem), None
    query = request.GET.urlencode() if export_filter else ""
    return render(request, "desk/exports.html", {
        "exports": [{"slug": slug, "title": export.title} for slug, export in EXPORTS.items()],
        "regencies": regions_for(request.user, Regency).order_by("code"),
        "export_filter": export_filter, "error": error, "query": query, "today": timezone.localdate(),
    }, status=400 if error else 200)
