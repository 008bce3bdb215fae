package org.fedoraproject.releng.workflow.access;

/**
 * Why a principal holds a permission, as {@code /api/whoami} shows it.
 *
 * @param workflow the workflow id, or {@code null} for a grant from the global matrix
 * @param grantedBy the entry that granted it, such as {@code group:qa}, {@code anonymous} or
 *     {@code admin via group:releng} when the permission is implied by {@code admin}
 */
public record Grant(String workflow, Permission permission, String grantedBy) {}
