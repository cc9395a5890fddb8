"""moto_server with S3's conditional writes made atomic, as S3 makes them.

moto checks If-None-Match / If-Match and then stores the object in two separate steps, so two racing
writers can both pass the check, where S3 lets exactly one of them win ("the first write operation to
finish succeeds"). Serialising the requests that create or replace an object (PutObject, CopyObject,
CompleteMultipartUpload; not the parts) gives the emulator S3's guarantee, so the tests race the code
under test for real instead of racing the emulator.
"""
import sys
import threading

from moto.s3.responses import S3Response

_writes = threading.Lock()
_key_response = S3Response.key_response


def key_response(self, request, full_url, headers):
    if request.method in ("PUT", "POST") and "partNumber=" not in full_url:
        with _writes:
            return _key_response(self, request, full_url, headers)
    return _key_response(self, request, full_url, headers)


S3Response.key_response = key_response

from moto.server import main  # noqa: E402  (after the patch, so the server uses it)

sys.exit(main(sys.argv[1:]))
