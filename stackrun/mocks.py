"""Pulumi mocks that answer like AWS would: ids, ARNs and endpoints shaped like the real ones.

Realistic values matter because the program builds IAM policies, URLs and environment
variables from them inside `apply`; an ARN of the wrong shape would hide a broken policy.
An invoke the program starts using without a canned answer fails loudly.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pulumi

ACCOUNT_ID = "123456789012"


def _suffix(name: str, length: int = 17) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:length]


class ChatMocks(pulumi.runtime.Mocks):
    def __init__(self, region: str) -> None:
        self.region = region
        self.invokes: list[tuple[str, dict[str, Any]]] = []

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list]:
        region = self.region
        answers: dict[str, dict[str, Any]] = {
            "aws:index/getRegion:getRegion": {
                "id": region,
                "name": region,
                "region": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
                "description": region,
            },
            "aws:index/getCallerIdentity:getCallerIdentity": {
                "id": ACCOUNT_ID,
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/ci",
                "userId": "AIDAEXAMPLE",
            },
            "aws:index/getAvailabilityZones:getAvailabilityZones": {
                "id": region,
                "names": [f"{region}{z}" for z in "abc"],
                "zoneIds": [f"euw1-az{n}" for n in (1, 2, 3)],
            },
            "aws:index/getPartition:getPartition": {
                "id": "aws",
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
            },
        }
        self.invokes.append((args.token, dict(args.args)))
        if args.token == "aws:iam/getRole:getRole":
            name = args.args.get("name")
            return {
                "id": name,
                "name": name,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/"
                f"opensearchservice.amazonaws.com/{name}",
            }, []
        if args.token not in answers:
            raise NotImplementedError(f"the mocks have no answer for invoke {args.token}")
        return answers[args.token], []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = dict(args.inputs)
        physical = inputs.get("name") or args.name
        resource_id, computed = self._computed(args.typ, args.name, physical, inputs)
        return resource_id, {**inputs, **computed}

    def _computed(
        self, typ: str, name: str, physical: str, inputs: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        region, account = self.region, ACCOUNT_ID
        service = typ.split(":")[1].split("/")[0] if ":" in typ else "component"
        unique = _suffix(f"{typ}:{name}")
        if typ == "aws:iam/role:Role":
            return physical, {"arn": f"arn:aws:iam::{account}:role/{physical}", "name": physical}
        if typ == "aws:dynamodb/table:Table":
            arn = f"arn:aws:dynamodb:{region}:{account}:table/{physical}"
            state = {"arn": arn, "name": physical}
            if inputs.get("streamEnabled"):
                state["streamArn"] = f"{arn}/stream/2026-01-01T00:00:00.000"
                state["streamLabel"] = "2026-01-01T00:00:00.000"
            return physical, state
        if typ == "aws:lambda/function:Function":
            arn = f"arn:aws:lambda:{region}:{account}:function:{physical}"
            return physical, {
                "arn": arn,
                "name": physical,
                "qualifiedArn": f"{arn}:$LATEST",
                "invokeArn": f"arn:aws:apigateway:{region}:lambda:path/functions/{arn}/invocations",
            }
        if typ == "aws:lambda/layerVersion:LayerVersion":
            layer = inputs.get("layerName", name)
            arn = f"arn:aws:lambda:{region}:{account}:layer:{layer}"
            return f"{arn}:1", {"arn": f"{arn}:1", "layerArn": arn, "version": "1"}
        if typ == "aws:opensearch/domain:Domain":
            domain = inputs.get("domainName", name)
            return domain, {
                "arn": f"arn:aws:es:{region}:{account}:domain/{domain}",
                "domainName": domain,
                "domainId": f"{account}/{domain}",
                "endpoint": f"vpc-{domain}-{unique[:10]}.{region}.es.amazonaws.com",
            }
        if typ == "aws:appsync/graphQLApi:GraphQLApi":
            api_id = unique[:26]
            return api_id, {
                "arn": f"arn:aws:appsync:{region}:{account}:apis/{api_id}",
                "uris": {
                    "GRAPHQL": f"https://{api_id}.appsync-api.{region}.amazonaws.com/graphql",
                    "REALTIME": f"wss://{api_id}.appsync-realtime-api.{region}.amazonaws.com/graphql",
                },
            }
        if typ == "aws:appsync/function:Function":
            return unique, {
                "functionId": unique,
                "arn": f"arn:aws:appsync:{region}:{account}:function/{unique}",
            }
        if typ == "aws:s3/bucket:Bucket":
            bucket = inputs.get("bucket") or name
            return bucket, {"arn": f"arn:aws:s3:::{bucket}", "bucket": bucket}
        if typ == "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan":
            plan_id = unique[:20]
            return plan_id, {
                "arn": f"arn:aws:guardduty:{region}:{account}:malware-protection-plan/{plan_id}"
            }
        if typ == "aws:sqs/queue:Queue":
            return f"https://sqs.{region}.amazonaws.com/{account}/{physical}", {
                "arn": f"arn:aws:sqs:{region}:{account}:{physical}",
                "name": physical,
                "url": f"https://sqs.{region}.amazonaws.com/{account}/{physical}",
            }
        if typ == "aws:cloudwatch/eventBus:EventBus":
            arn = f"arn:aws:events:{region}:{account}:event-bus/{physical}"
            return physical, {"arn": arn, "name": physical}
        if typ == "aws:cloudwatch/eventRule:EventRule":
            bus = inputs.get("eventBusName") or "default"
            prefix = "" if bus == "default" else f"{bus}/"
            arn = f"arn:aws:events:{region}:{account}:rule/{prefix}{physical}"
            return f"{bus}/{physical}", {"arn": arn, "name": physical}
        if typ == "aws:cloudwatch/eventArchive:EventArchive":
            return physical, {"arn": f"arn:aws:events:{region}:{account}:archive/{physical}"}
        if typ == "aws:pipes/pipe:Pipe":
            return physical, {"arn": f"arn:aws:pipes:{region}:{account}:pipe/{physical}"}
        if typ == "aws:sns/platformApplication:PlatformApplication":
            arn = f"arn:aws:sns:{region}:{account}:app/{inputs.get('platform')}/{physical}"
            return arn, {"arn": arn, "name": physical}
        if typ == "aws:sns/topic:Topic":
            arn = f"arn:aws:sns:{region}:{account}:{physical}"
            return arn, {"arn": arn, "name": physical}
        if typ == "aws:cognito/userPool:UserPool":
            pool_id = f"{region}_{unique[:9]}"
            return pool_id, {
                "arn": f"arn:aws:cognito-idp:{region}:{account}:userpool/{pool_id}",
                "endpoint": f"cognito-idp.{region}.amazonaws.com/{pool_id}",
            }
        if typ == "aws:kms/key:Key":
            key_id = f"{unique[:8]}-{unique[8:12]}-4{unique[12:15]}-8{unique[:3]}-{unique[:12]}"
            return key_id, {"keyId": key_id, "arn": f"arn:aws:kms:{region}:{account}:key/{key_id}"}
        if typ == "aws:cloudwatch/logGroup:LogGroup":
            return physical, {"arn": f"arn:aws:logs:{region}:{account}:log-group:{physical}"}
        if typ.startswith("aws:ec2/"):
            kind = {
                "vpc": "vpc",
                "subnet": "subnet",
                "securityGroup": "sg",
                "routeTable": "rtb",
                "vpcEndpoint": "vpce",
            }.get(typ.split("/")[1].split(":")[0], "ec2")
            return f"{kind}-{unique}", {
                "arn": f"arn:aws:ec2:{region}:{account}:{kind}/{kind}-{unique}"
            }
        if typ.startswith("aws:"):
            return unique, {"arn": f"arn:aws:{service}:{region}:{account}:{physical}"}
        return f"{name}-id", {}
