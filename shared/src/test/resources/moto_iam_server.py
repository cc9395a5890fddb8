"""moto_server that judges every request by the caller's IAM policies, for the tests of the functions' policies.

Run with INITIAL_NO_AUTH_ACTION_COUNT=0 in the environment (moto reads it at import): from the first request
on, a request is signed by an IAM user's key and allowed only as that user's policies allow. To have a first
caller at all, one user is made before the server answers: the tests' administrator (Allow *), whose key is
written as JSON to the file named by the first argument. The tests make every other user, with the policies
under test, through the IAM API like anyone would.

One correction of moto's S3 authorization: S3 authorizes each key of a DeleteObjects request as s3:DeleteObject
on that key's ARN, while moto checks the bucket's ARN, which a policy scoped to a prefix rightly does not name.
Each key is checked as S3 checks it (if one is refused, moto then refuses them all, each with AccessDenied,
where S3 would refuse only that one).

And one correction of its signature check: moto recomputes the signature over the query string as the server
decoded it (prefix=production/), while the client signed it encoded (prefix=production%2F), so every listing
of a prefix would fail with SignatureDoesNotMatch. The query is encoded again, as SigV4 encodes it, first.

Usage: moto_iam_server.py ADMIN_KEY_FILE [moto_server arguments]
"""
import json
import os
import sys

if os.environ.get("INITIAL_NO_AUTH_ACTION_COUNT") != "0":
    sys.exit("moto_iam_server.py: set INITIAL_NO_AUTH_ACTION_COUNT=0, or nothing is enforced")

import xmltodict  # noqa: E402  (moto's own dependency)
from urllib.parse import quote, unquote  # noqa: E402

from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.iam.access_control import IAMRequestBase  # noqa: E402
from moto.iam.models import iam_backends  # noqa: E402
from moto.s3.responses import S3Response  # noqa: E402

ADMIN = "neurocred-test-admin"

iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
iam.create_user(region_name="us-east-1", user_name=ADMIN)
iam.put_user_policy(ADMIN, "everything", json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(ADMIN)
with open(sys.argv[1], "w") as out:
    json.dump({"accessKeyId": key.access_key_id, "secretAccessKey": key.secret_access_key,
               "account": DEFAULT_ACCOUNT_ID}, out)

_authorize = S3Response._authenticate_and_authorize_s3_action


def _authorize_each_deleted_key(self, bucket_name=None, key_name=None):
    if key_name is None and self.data.get("Action") == "DeleteObject" and self.is_delete_keys():
        objects = xmltodict.parse(self.body, strip_whitespace=False)["Delete"].get("Object", [])
        for obj in objects if isinstance(objects, list) else [objects]:
            _authorize(self, bucket_name=bucket_name, key_name=obj["Key"])
        return
    _authorize(self, bucket_name=bucket_name, key_name=key_name)


S3Response._authenticate_and_authorize_s3_action = _authorize_each_deleted_key

_create_aws_request = IAMRequestBase._create_aws_request


def _sigv4_encoded(pair):
    return "=".join(quote(unquote(part), safe="-_.~") for part in pair.split("=", 1))


def _create_aws_request_with_encoded_query(self):
    request = _create_aws_request(self)
    path, separator, query = request.url.partition("?")
    if separator:
        request.url = path + "?" + "&".join(_sigv4_encoded(pair) for pair in query.split("&"))
    return request


IAMRequestBase._create_aws_request = _create_aws_request_with_encoded_query

from moto.server import main  # noqa: E402  (after the patch, so the server uses it)

sys.exit(main(sys.argv[2:]))
