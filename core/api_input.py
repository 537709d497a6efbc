"""How the API reads a request: what a client sent wrong is said in the user's language, never in a parser's.

DRF's parsers answer "JSON parse error - Expecting property name enclosed in
double quotes: line 1 column 2 (char 1)" (Python's own English, not
translatable) and its pagination "Invalid page.". These say what the client
tried and how to put it right; the settings make them the API's defaults.
"""

import json

from django.utils.translation import gettext as _
from rest_framework import pagination, parsers
from rest_framework.exceptions import NotFound, ParseError


def _unsupported_charset(parser_context):
    charset = (parser_context or {}).get("encoding") or ""
    return ParseError(_("Set karakter \"%(charset)s\" pada header Content-Type tidak didukung; kirim teks UTF-8.")
                      % {"charset": charset[:40]})


def _charset_problem(error, parser_context):
    """The charset refusal of DRF's get_encoding, said in the user's language (or None for another error)."""
    if str(error.detail).startswith("Unsupported charset"):
        return _unsupported_charset(parser_context)
    return None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            if problem := _charset_problem(error, parser_context):
                raise problem from None
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise ParseError(_(
                    "Isi permintaan bukan JSON yang sah (baris %(line)d, kolom %(column)d): periksa tanda kutip "
                    "ganda di sekitar nama dan teks, koma di antara isian, serta kurung kurawal dan siku."
                ) % {"line": cause.lineno, "column": cause.colno}) from None
            if isinstance(cause, UnicodeDecodeError):
                raise ParseError(_("Isi permintaan JSON bukan teks UTF-8 (bita ke-%(at)d).")
                                 % {"at": cause.start + 1}) from None
            # strict JSON: NaN and Infinity are not numbers JSON knows.
            raise ParseError(_("Isi permintaan bukan JSON yang sah: angka NaN dan Infinity tidak diterima.")) from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            raise (_charset_problem(error, parser_context) or error) from None


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            if problem := _charset_problem(error, parser_context):
                raise problem from None
            raise ParseError(_(
                "Isi permintaan multipart/form-data tidak dapat dibaca: periksa boundary pada header Content-Type "
                "dan bentuk tiap bagian, atau biarkan pustaka HTTP Anda yang menyusunnya."
            )) from None


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50; a page that does not exist says which pages do."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            asked = request.query_params.get(self.page_query_param, "")[:20]
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            if not asked.strip().isdigit():
                message = _("Nomor halaman \"%(page)s\" tidak terbaca: tulis bilangan bulat mulai dari 1, "
                            "mis. ?page=2.") % {"page": asked}
            else:
                message = _("Halaman %(page)s tidak ada: daftar ini berisi %(pages)d halaman "
                            "(page=1 sampai page=%(pages)d).") % {"page": asked, "pages": paginator.num_pages}
            raise NotFound(message) from None
