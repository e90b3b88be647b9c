"""Private networking for the search domain and the Lambdas that reach it.

`create` builds a VPC with one private subnet per availability zone (no NAT gateway, no
internet route: the functions reach DynamoDB through a gateway endpoint and OpenSearch
inside the VPC). `existing` adopts the given VPC and subnets and only adds the security
groups; such a VPC must already route DynamoDB (gateway endpoint or NAT).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from stacksettings.settings import NetworkSettings
from stacksettings.view import View


@dataclass(frozen=True)
class VpcSettings(View):
    """The stack settings that shape the VPC, or the existing one."""

    prefix: str
    tags: dict[str, str]
    network: NetworkSettings


@dataclass
class NetworkArgs:
    settings: VpcSettings
    region: pulumi.Input[str]


def private_subnet_cidrs(vpc_cidr: str, count: int) -> list[str]:
    """The first `count` blocks of four bits more than the VPC's prefix (a /16 gives /20s)."""
    network = ipaddress.IPv4Network(vpc_cidr)
    blocks = network.subnets(prefixlen_diff=4)
    return [str(next(blocks)) for _ in range(count)]


class Network(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    subnet_ids: list[pulumi.Output[str]]
    lambda_security_group_id: pulumi.Output[str]
    search_security_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:network:Network", name, None, opts)
        settings = args.settings
        child = pulumi.ResourceOptions(parent=self)
        tags = settings.tags
        if settings.network.mode == "create":
            self._create(name, settings, args.region, child)
        else:
            if settings.network.vpc_id is None:
                raise ValueError("network.mode existing needs network.vpcId (stacksettings)")
            self.vpc_id = pulumi.Output.from_input(settings.network.vpc_id)
            self.subnet_ids = [pulumi.Output.from_input(s) for s in settings.network.subnet_ids]

        lambdas = aws.ec2.SecurityGroup(
            f"{name}-lambdas",
            description="Chat Lambdas: HTTPS out to the search domain and AWS endpoints",
            vpc_id=self.vpc_id,
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=["0.0.0.0/0"],
                    description="HTTPS to OpenSearch and AWS APIs",
                )
            ],
            tags={**tags, "Name": f"{settings.prefix}-lambdas"},
            opts=child,
        )
        search = aws.ec2.SecurityGroup(
            f"{name}-search",
            description="Chat search domain: HTTPS from the chat Lambdas only",
            vpc_id=self.vpc_id,
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    security_groups=[lambdas.id],
                    description="HTTPS from the chat Lambdas",
                )
            ],
            tags={**tags, "Name": f"{settings.prefix}-search"},
            opts=child,
        )
        self.lambda_security_group_id = lambdas.id
        self.search_security_group_id = search.id
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "subnetIds": self.subnet_ids,
                "lambdaSecurityGroupId": self.lambda_security_group_id,
                "searchSecurityGroupId": self.search_security_group_id,
            }
        )

    def _create(
        self,
        name: str,
        settings: VpcSettings,
        region: pulumi.Input[str],
        child: pulumi.ResourceOptions,
    ) -> None:
        cidr = settings.network.cidr or ""
        tags = settings.tags
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={**tags, "Name": f"{settings.prefix}-vpc"},
            opts=child,
        )
        zones = aws.get_availability_zones_output(state="available")
        routes = aws.ec2.RouteTable(
            f"{name}-private",
            vpc_id=vpc.id,
            tags={**tags, "Name": f"{settings.prefix}-private"},
            opts=child,
        )
        self.subnet_ids = []
        for index, block in enumerate(
            private_subnet_cidrs(cidr, settings.network.availability_zone_count)
        ):
            subnet = aws.ec2.Subnet(
                f"{name}-private-{index}",
                vpc_id=vpc.id,
                cidr_block=block,
                availability_zone=zones.names[index],
                map_public_ip_on_launch=False,
                tags={**tags, "Name": f"{settings.prefix}-private-{index}"},
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{index}",
                subnet_id=subnet.id,
                route_table_id=routes.id,
                opts=child,
            )
            self.subnet_ids.append(subnet.id)
        aws.ec2.VpcEndpoint(
            f"{name}-dynamodb",
            vpc_id=vpc.id,
            service_name=pulumi.Output.from_input(region).apply(
                lambda r: f"com.amazonaws.{r}.dynamodb"
            ),
            vpc_endpoint_type="Gateway",
            route_table_ids=[routes.id],
            tags={**tags, "Name": f"{settings.prefix}-dynamodb"},
            opts=child,
        )
        self.vpc_id = vpc.id
