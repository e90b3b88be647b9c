"""realtime-chat: reads and validates the stack settings, composes the components, exports
what a client needs. No resource is created anywhere at import time."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

import chatspec
from components.api import Api, ApiArgs
from components.auth import Auth, AuthArgs
from components.config_values import PROJECT
from components.encryption import Encryption, EncryptionArgs
from components.function_environment import SEARCH_INDEX
from components.lambda_code import DependencyLayer, DependencyLayerArgs
from components.network import Network, NetworkArgs
from components.observability import Observability, ObservabilityArgs
from components.profiles import Profiles, ProfilesArgs
from components.search import Search, SearchArgs
from components.settings import (
    SETTING_KEYS,
    SettingsError,
    StackSettings,
    settings_from_config,
)
from components.storage import Storage, StorageArgs
from components.upload_notifications import UploadNotifications, UploadNotificationsArgs
from components.uploads import Uploads, UploadsArgs


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
        "encryption", EncryptionArgs(settings=settings, account_id=account_id, region=region)
    )
    network = Network("network", NetworkArgs(settings=settings, region=region))
    storage = Storage("storage", StorageArgs(settings=settings, kms_key_arn=encryption.key_arn))
    layer = DependencyLayer("dependencies", DependencyLayerArgs(settings=settings))
    profiles = Profiles(
        "profiles",
        ProfilesArgs(
            settings=settings,
            layer_arn=layer.arn,
            table_names=storage.names,
            table_arns=storage.arns,
            account_id=account_id,
            region=region,
            kms_key_arn=encryption.key_arn,
        ),
    )
    uploads = Uploads("uploads", UploadsArgs(settings=settings, kms_key_arn=encryption.key_arn))
    auth = Auth("auth", AuthArgs(settings=settings, post_confirmation=profiles.function))
    search = Search(
        "search",
        SearchArgs(
            settings=settings,
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
    api = Api(
        "api",
        ApiArgs(
            settings=settings,
            region=region,
            account_id=account_id,
            user_pool_id=auth.user_pool_id,
            user_pool_arn=auth.user_pool_arn,
            layer_arn=layer.arn,
            table_names=storage.names,
            table_arns=storage.arns,
            subnet_ids=network.subnet_ids,
            lambda_security_group_id=network.lambda_security_group_id,
            prebuilt_functions={**search.functions, **profiles.functions},
            kms_key_arn=encryption.key_arn,
            uploads_bucket_name=uploads.bucket_name,
            uploads_bucket_arn=uploads.bucket_arn,
        ),
    )
    UploadNotifications(
        "upload-checks",
        UploadNotificationsArgs(
            bucket_name=uploads.bucket_name,
            bucket_arn=uploads.bucket_arn,
            account_id=account_id,
            check=api.functions[chatspec.lambda_function("filecheck").name],
        ),
    )
    observability = Observability(
        "observability",
        ObservabilityArgs(
            settings=settings,
            kms_key_arn=encryption.key_arn,
            account_id=account_id,
            region=region,
            api_id=api.api_id,
            function_names={n: f.name for n, f in api.functions.items()},
            stream_function_names={
                n: f.name
                for n, f in api.functions.items()
                if chatspec.lambda_function(n).stream_source
            },
            table_names=storage.names,
            failure_queue_names={n: q.name for n, q in search.failure_queues.items()},
            search_domain_name=search.domain_name,
        ),
    )

    pulumi.export("graphqlUrl", api.graphql_url)
    pulumi.export("realtimeUrl", api.realtime_url)
    pulumi.export("region", region)
    pulumi.export("userPoolId", auth.user_pool_id)
    pulumi.export("userPoolClientId", auth.client_id)
    for table in chatspec.TABLES:
        pulumi.export(table.output_name, storage.names[table.name])
    pulumi.export("searchEndpoint", search.endpoint.apply(lambda e: f"https://{e}"))
    pulumi.export("searchIndex", SEARCH_INDEX)
    pulumi.export("searchOpsRoleArn", search.ops_role.arn)
    for function, queue in search.failure_queues.items():
        pulumi.export(f"{function}FailureQueueUrl", queue.url)
    pulumi.export("alarmTopicArn", observability.alarm_topic_arn)
    pulumi.export("uploadsBucketName", uploads.bucket_name)


if __name__ == "__main__":
    main()
