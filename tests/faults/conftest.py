import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture
def database_url(transactional_db):
    """The test database, for processes of their own; its rows are committed, so they see them."""
    db = connection.settings_dict
    yield f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # Throttle counts from the servers' requests are committed: other tests must not inherit them.
    cache.clear()

@pytest.fixture
def real_passwords(settings):
    """Servers in other processes check passwords with the production hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
