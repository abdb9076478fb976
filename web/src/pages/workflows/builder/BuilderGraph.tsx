import { memo, useCallback, useEffect, useMemo } from 'react';
import { Handle, Position, ReactFlow, Controls, useReactFlow, type Edge, type Node, type NodeChange, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { duration } from '../../../lib/format';
import { branchesOf, type DraftStep, type DryRunStep } from './model';
import { TRIGGER_ID } from './model';

interface StepNodeData extends Record<string, unknown> {
  title: string;
  subtitle: string;
  errors: number;
  result?: DryRunStep;
}
type StepNode = Node<StepNodeData, 'step'>;

const ROW = 110;
const BRANCH_X = 240;

/** One node: name, kind, error count and the last dry run's status and duration (text, not colour alone). */
const StepNodeView = memo(function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  return (
    <div className={`flow-node${selected ? ' is-selected' : ''}${data.errors ? ' has-errors' : ''}`}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="flow-node-title mono">{data.title}</div>
      <div className="muted small">{data.subtitle}</div>
      <div className="flow-node-badges">
        {data.errors > 0 && (
          <span className="badge badge-danger">
            {data.errors} {data.errors === 1 ? 'error' : 'errors'}
          </span>
        )}
        {data.result && (
          <>
            <span
              className={`badge badge-${data.result.status === 'succeeded' ? 'success' : data.result.status === 'failed' ? 'danger' : 'neutral'}`}
            >
              {data.result.status}
            </span>
            {data.result.durationMs !== undefined && <span className="small">{duration(data.result.durationMs)}</span>}
          </>
        )}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

const nodeTypes = { step: StepNodeView };

/**
 * Keeps what the user works on in view: the whole graph again when steps are added or removed
 * (small graphs, shown whole), and in a large graph the selected node centred when it is chosen.
 */
function FollowSelection({ position, count }: { position: { x: number; y: number } | undefined; count: number }) {
  const flow = useReactFlow();
  useEffect(() => {
    if (count <= 8) void flow.fitView({ maxZoom: 1, padding: 0.2 });
  }, [count, flow]);
  const x = position?.x;
  const y = position?.y;
  useEffect(() => {
    // A small graph is shown whole (above); only a large one pans to the chosen node.
    if (x === undefined || y === undefined || count <= 8) return;
    void flow.setCenter(x + 90, y + 30, { zoom: Math.max(flow.getZoom(), 0.6) });
  }, [x, y, count, flow]);
  return null;
}

/**
 * Trigger → steps in order, laid out top to bottom by index; a condition's `then` steps sit to
 * the left and its `else` steps to the right, reached by labelled edges. Read-only wiring: the
 * order is edited in the outline and the side panel.
 */
export const BuilderGraph = memo(function BuilderGraph({
  triggerType,
  steps,
  selected,
  errorCounts,
  triggerErrors,
  results,
  onSelect,
}: {
  triggerType: string;
  steps: DraftStep[];
  selected: string | undefined;
  errorCounts: Record<string, number>;
  triggerErrors: number;
  results: Record<string, DryRunStep>;
  onSelect: (id: string) => void;
}) {
  const { nodes, edges } = useMemo(() => {
    const side = new Map<string, { x: number; label: string; from: string }>();
    for (const s of steps) {
      const b = branchesOf(s);
      for (const n of b.then) side.set(n, { x: -BRANCH_X, label: 'true', from: s.uid });
      for (const n of b.else) side.set(n, { x: BRANCH_X, label: 'false', from: s.uid });
    }
    const nodes: StepNode[] = [
      {
        id: TRIGGER_ID,
        type: 'step',
        position: { x: 0, y: 0 },
        selected: selected === TRIGGER_ID,
        ariaLabel: `Trigger: ${triggerType}`,
        data: { title: 'Trigger', subtitle: triggerType, errors: triggerErrors },
      },
    ];
    const edges: Edge[] = [];
    let prev = TRIGGER_ID;
    steps.forEach((s, i) => {
      const branch = side.get(s.name);
      const errors = errorCounts[s.uid] ?? 0;
      const result = results[s.name];
      nodes.push({
        id: s.uid,
        type: 'step',
        position: { x: branch?.x ?? 0, y: (i + 1) * ROW },
        selected: selected === s.uid,
        ariaLabel: `Step ${i + 1}: ${s.name}${errors ? `, ${errors} errors` : ''}${result ? `, ${result.status}` : ''}`,
        data: {
          title: s.name,
          subtitle: s.type === 'connector' ? `${s.connector ?? '?'} · ${s.action ?? '?'}` : s.type,
          errors,
          result,
        },
      });
      if (branch) {
        edges.push({
          id: `b-${branch.from}-${s.uid}`,
          source: branch.from,
          target: s.uid,
          label: branch.label,
          className: `edge-${branch.label}`,
        });
        if (prev !== branch.from) edges.push({ id: `e-${prev}-${s.uid}`, source: prev, target: s.uid });
      } else {
        edges.push({ id: `e-${prev}-${s.uid}`, source: prev, target: s.uid });
      }
      prev = s.uid;
    });
    return { nodes, edges };
  }, [steps, selected, errorCounts, triggerErrors, results, triggerType]);

  // Clicks and Enter/Space on a focused node arrive as selection changes: the builder owns selection.
  const onNodesChange = useCallback(
    (changes: NodeChange<StepNode>[]) => {
      for (const c of changes) if (c.type === 'select' && c.selected) onSelect(c.id);
    },
    [onSelect],
  );

  return (
    <section className="builder-graph card" aria-label="Workflow graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable
        edgesFocusable={false}
        onlyRenderVisibleElements={steps.length > 30}
        fitView
        fitViewOptions={{ maxZoom: 1, nodes: nodes.slice(0, 8).map((n) => ({ id: n.id })) }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Controls showInteractive={false} />
        <FollowSelection position={nodes.find((n) => n.id === selected)?.position} count={steps.length} />
      </ReactFlow>
    </section>
  );
});
