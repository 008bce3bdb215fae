package org.fedoraproject.releng.workflow.web;

import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Run;

/** A dashboard line: a workflow and its newest run (null when it never ran). */
public record WorkflowRow(WorkflowDefinition workflow, Run last) {}
