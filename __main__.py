"""realtime-chat: reads and validates the stack settings, composes the components, exports
what a client needs. No resource is created anywhere at import time."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

import chatspec
from chatspec.environment import SEARCH_INDEX
from chatspec.outputs import failure_queue_output, output_names
from components.api import Api, ApiArgs, ApiSettings
from components.auth import Auth, AuthArgs, AuthSettings
from components.encryption import Encryption, EncryptionArgs, KeySettings
from components.events import Events, EventsArgs
from components.lambda_code import DependencyLayer, DependencyLayerArgs, LayerSettings
from components.lambda_function import FunctionSettings
from components.network import Network, NetworkArgs, VpcSettings
from components.observability import MonitoringSettings, Observability, ObservabilityArgs
from components.profiles import Profiles, ProfilesArgs
from components.push import Push, PushArgs
from components.search import DomainSettings, Search, SearchArgs
from components.storage import Storage, StorageArgs, TableSettings
from components.upload_notifications import (
    CheckSettings,
    UploadNotifications,
    UploadNotificationsArgs,
)
from components.uploads import BucketSettings, Uploads, UploadsArgs
from stacksettings.config_values import PROJECT
from stacksettings.settings import (
    SETTING_KEYS,
    SettingsError,
    StackSettings,
    settings_from_config,
)


def read_settings() -> StackSettings:
    """A wrong setting stops the program with only its message (RunError prints no traceback)."""
    config = pulumi.Config(PROJECT)
    try:
        return settings_from_config({key: config.get(key) for key in SETTING_KEYS})
    except SettingsError as error:
        raise pulumi.RunError(str(error)) from error


def main() -> None:
    settings = read_settings()
    region = aws.get_region_output().region
    account_id = aws.get_caller_identity_output().account_id

    encryption = Encryption(
        "encryption",
        EncryptionArgs(settings=KeySettings.of(settings), account_id=account_id, region=region),
    )
    network = Network("network", NetworkArgs(settings=VpcSettings.of(settings), region=region))
    storage = Storage(
        "storage", StorageArgs(settings=TableSettings.of(settings), kms_key_arn=encryption.key_arn)
    )
    layer = DependencyLayer(
        "dependencies", DependencyLayerArgs(settings=LayerSettings.of(settings))
    )
    profiles = Profiles(
        "profiles",
        ProfilesArgs(
            settings=FunctionSettings.of(settings),
            layer_arn=layer.arn,
            table_names=storage.names,
            table_arns=storage.arns,
            account_id=account_id,
            region=region,
            kms_key_arn=encryption.key_arn,
        ),
    )
    uploads = Uploads(
        "uploads",
        UploadsArgs(
            settings=BucketSettings.of(settings),
            kms_key_arn=encryption.key_arn,
            region=region,
            account_id=account_id,
        ),
    )
    auth = Auth(
        "auth", AuthArgs(settings=AuthSettings.of(settings), post_confirmation=profiles.function)
    )
    search = Search(
        "search",
        SearchArgs(
            settings=DomainSettings.of(settings),
            kms_key_arn=encryption.key_arn,
            subnet_ids=network.subnet_ids,
            search_security_group_id=network.search_security_group_id,
            lambda_security_group_id=network.lambda_security_group_id,
            layer_arn=layer.arn,
            table_names=storage.names,
            table_arns=storage.arns,
            stream_arns=storage.stream_arns,
            account_id=account_id,
            region=region,
        ),
    )
    push = Push(
        "push",
        PushArgs(
            settings=settings,
            region=region,
            account_id=account_id,
            layer_arn=layer.arn,
            table_names=storage.names,
            table_arns=storage.arns,
            kms_key_arn=encryption.key_arn,
        ),
    )
    api = Api(
        "api",
        ApiArgs(
            settings=ApiSettings.of(settings),
            region=region,
            account_id=account_id,
            user_pool_id=auth.user_pool_id,
            user_pool_arn=auth.user_pool_arn,
            layer_arn=layer.arn,
            table_names=storage.names,
            table_arns=storage.arns,
            subnet_ids=network.subnet_ids,
            lambda_security_group_id=network.lambda_security_group_id,
            prebuilt_functions={**search.functions, **push.functions, **profiles.functions},
            kms_key_arn=encryption.key_arn,
            uploads_bucket_name=uploads.bucket_name,
            uploads_bucket_arn=uploads.bucket_arn,
        ),
    )
    events = Events(
        "events",
        EventsArgs(
            settings=settings,
            region=region,
            account_id=account_id,
            stream_arns=storage.stream_arns,
            functions=api.functions,
            kms_key_arn=encryption.key_arn,
        ),
    )
    upload_checks = UploadNotifications(
        "upload-checks",
        UploadNotificationsArgs(
            bucket_name=uploads.bucket_name,
            bucket_arn=uploads.bucket_arn,
            account_id=account_id,
            check=api.functions[chatspec.lambda_function("filecheck").name],
            settings=CheckSettings.of(settings),
            stream_arns=storage.stream_arns,
            kms_key_arn=encryption.key_arn,
            malware_plan_arn=uploads.malware_plan_arn,
        ),
    )
    failure_queues = {**search.failure_queues, **upload_checks.failure_queues}
    observability = Observability(
        "observability",
        ObservabilityArgs(
            settings=MonitoringSettings.of(settings),
            kms_key_arn=encryption.key_arn,
            account_id=account_id,
            region=region,
            api_id=api.api_id,
            function_names={n: f.name for n, f in api.functions.items()},
            table_names=storage.names,
            failure_queue_names={n: q.name for n, q in failure_queues.items()},
            assistant_enabled=settings.assistant is not None,
            search_domain_name=search.domain_name,
        ),
    )

    values: dict[str, pulumi.Input[str]] = {
        "graphqlUrl": api.graphql_url,
        "realtimeUrl": api.realtime_url,
        "region": region,
        "userPoolId": auth.user_pool_id,
        "userPoolClientId": auth.client_id,
        **{table.output_name: storage.names[table.name] for table in chatspec.TABLES},
        "searchEndpoint": search.endpoint.apply(lambda e: f"https://{e}"),
        "searchIndex": SEARCH_INDEX,
        "searchOpsRoleArn": search.ops_role.arn,
        **{failure_queue_output(f): q.url for f, q in failure_queues.items()},
        "alarmTopicArn": observability.alarm_topic_arn,
        "eventBusName": events.bus_name,
        "eventBusArn": events.bus_arn,
        "eventsDeadLetterQueueUrl": events.dead_letter_queue.url,
        "uploadsBucketName": uploads.bucket_name,
    }
    if set(values) != set(output_names()):
        raise pulumi.RunError(f"outputs differ from chatspec.outputs: {sorted(values)}")
    for name in output_names():
        pulumi.export(name, values[name])


if __name__ == "__main__":
    main()
