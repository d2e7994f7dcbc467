// A real node card in the level-of-detail view, once the zoom makes a tile
// big enough to read as one (lod.ts): the ordinary WorkerNodeCard at full
// size, scaled into its tile's box, so nothing moves when cards replace tiles.
import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { WorkerView } from '../store/worker-views';
import { CARD } from './heat-map-geometry';
import { WorkerNodeCard, type WorkerNode } from './nodes/WorkerNodeCard';

export type HeatMapCardNode = Node<{ worker: WorkerView; scale: number }, 'heatMapCard'>;

export const HeatMapCard = memo(function HeatMapCard(props: NodeProps<HeatMapCardNode>) {
  return (
    <div className="heat-map-card" style={{ width: CARD.width, height: CARD.height, transform: `scale(${props.data.scale})` }}>
      <WorkerNodeCard {...(props as unknown as NodeProps<WorkerNode>)} />
    </div>
  );
});
