package com.neurocred.backup.aws;

import java.util.List;
import java.util.stream.Collectors;

/**
 * AWS services a job needs could not be reached: the job stops before doing anything, in seconds, instead of
 * spending its time in the SDK's retries. The message names each service, the host tried and the fix.
 */
public final class ServiceUnreachableException extends RuntimeException {
    private final List<NetworkPreflight.Unreachable> unreachable;

    public ServiceUnreachableException(List<NetworkPreflight.Unreachable> unreachable) {
        super(unreachable.stream().map(NetworkPreflight.Unreachable::describe).collect(Collectors.joining("; "))
                + ": from a function in private subnets these need VPC endpoints (deploy with CreateVpcEndpoints=true)"
                + " or a NAT gateway; elsewhere, check the proxy, firewall and DNS between this host and AWS");
        this.unreachable = List.copyOf(unreachable);
    }

    public List<NetworkPreflight.Unreachable> unreachable() {
        return unreachable;
    }

    public boolean includes(AwsService service) {
        return unreachable.stream().anyMatch(u -> u.service() == service);
    }
}
