"""The floor for submissions: a Django view behind the same middleware that parses JSON and inserts one row."""

import json

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

BARE_TABLE = "bench_bare_report"


@csrf_exempt
def bare_insert(request):
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (regency, report_date, summary, created_at) "
            "VALUES (%s, %s, %s, now()) RETURNING id",
            [body["regency"], body["report_date"], body["summary"]],
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


BARE_WEBHOOK_TABLE = "bench_bare_webhook"


@csrf_exempt
def bare_webhook(request):
    """The floor for a webhook: the raw body inserted as it came, answered 200."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_WEBHOOK_TABLE} (body, received_at) VALUES (%s, now())",
                       [request.body.decode()])
    return JsonResponse({"stored": 1})
