"""A service's refusal reaches the API as 400/403 and a page as form errors, the same way in every app."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from core.errors import api_exception_handler, form_add_service_errors


def test_service_validation_error_is_a_400_with_field_messages():
    error = ValidationError({"summary": ["Ringkasan wajib diisi."], NON_FIELD_ERRORS: ["Pemilihan tidak aktif."]})
    response = api_exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == {"summary": ["Ringkasan wajib diisi."], "non_field_errors": ["Pemilihan tidak aktif."]}


def test_service_validation_error_without_fields_is_a_non_field_400():
    response = api_exception_handler(ValidationError("Tidak dapat diubah lagi."), {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Tidak dapat diubah lagi."]}


def test_permission_denied_is_a_403_keeping_its_message():
    response = api_exception_handler(PermissionDenied("Hanya petugas desk."), {})
    assert response.status_code == 403
    assert response.data == {"detail": "Hanya petugas desk."}


def test_other_exceptions_are_left_to_django():
    assert api_exception_handler(ValueError("boom"), {}) is None


class NoteForm(forms.Form):
    note = forms.CharField()


def test_service_errors_land_on_the_fields_they_name_and_the_rest_on_top():
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    form_add_service_errors(form, ValidationError({"note": ["Terlalu pendek."], "regency": ["Bukan wilayah Anda."]}))
    assert form.errors == {"note": ["Terlalu pendek."], NON_FIELD_ERRORS: ["Bukan wilayah Anda."]}


def test_a_service_error_without_fields_goes_on_top_of_the_form():
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    form_add_service_errors(form, ValidationError("Insiden sudah selesai."))
    assert form.non_field_errors() == ["Insiden sudah selesai."]
