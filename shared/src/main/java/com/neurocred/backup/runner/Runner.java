package com.neurocred.backup.runner;

/** Where a job ran (or runs): the function itself, the Fargate task it started, or an operator's command line. */
public enum Runner {
    LAMBDA, FARGATE, COMMAND_LINE;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
