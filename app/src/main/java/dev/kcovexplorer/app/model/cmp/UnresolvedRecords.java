package dev.kcovexplorer.app.model.cmp;

/**
 * Records of a CMP run that resolve to no comparison site, for one reason.
 *
 * @param firstRecord index of the first such record in the area (-1 when the run has no record order)
 * @param firstIp     its ip
 */
public record UnresolvedRecords(String reason, int ips, long records, int firstRecord, long firstIp) {
}
