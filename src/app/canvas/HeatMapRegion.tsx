// The heat map's box as a React Flow node (level-of-detail view): it takes
// the tiles' place in fitView and the minimap, and holds the kubelets' edge.
// It draws nothing itself: the tiles are on HeatMapLayer's canvas beneath,
// which also answers hover and click on them.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

export type HeatMapRegionNode = Node<{ nodes: number }, 'heatMap'>;

export const HeatMapRegion = memo(function HeatMapRegion({ data }: NodeProps<HeatMapRegionNode>) {
  return (
    <div className="heat-map-region" data-testid="heat-map-region" data-nodes={data.nodes}>
      <Handle type="source" position={Position.Top} id="api" isConnectable={false} />
    </div>
  );
});
