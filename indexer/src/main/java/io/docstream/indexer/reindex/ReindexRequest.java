package io.docstream.indexer.reindex;

/**
 * {@code POST /api/v1/admin/reindex}: the model of the new target (default: the current target's), its build
 * (default: one more than the highest numeric build of the alias) and whether to switch the alias as soon as
 * the new target has caught up (default true).
 */
record ReindexRequest(String model, String build, Boolean autoSwitch) {

    boolean switchAutomatically() {
        return autoSwitch == null || autoSwitch;
    }
}
