"""Static files storage: WhiteNoise's compressed manifest, with hashed URLs also under DEBUG (`make run`)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Django's manifest storage gives plain names when DEBUG is on; `make run` serves collected files, so the
    hashed names (cached for a year by WhiteNoise) work there too."""

    def url(self, name, force=False):
        return super().url(name, force=True)
