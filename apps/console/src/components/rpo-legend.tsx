/** Says what the RPO colours mean. */
export function RpoLegend() {
  return (
    <p className="legend">
      Age of the last good snapshot against the VM's RPO: <span className="badge rpo-green">green</span> younger than
      half the RPO, <span className="badge rpo-amber">amber</span> older than half the RPO,{' '}
      <span className="badge rpo-red">red</span> older than the RPO or no snapshot yet.
    </p>
  );
}
