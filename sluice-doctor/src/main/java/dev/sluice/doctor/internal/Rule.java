package dev.sluice.doctor.internal;

/**
 * One check of a pool configuration against its server. A rule that lacks a fact it needs (the
 * server did not say, the caller did not declare it) adds nothing: a finding is always backed by
 * values that were read.
 */
interface Rule {
    void check(CheckInput in, ServerFacts server, Findings out);
}
