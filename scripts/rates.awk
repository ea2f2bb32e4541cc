# Criterion's output to "<benchmark id> <median throughput in M elements/s>" lines.
/^[a-z]+\/[a-z0-9-]+/ { id = $1 }
/thrpt:/ && id != "" {
    v = $4; u = $5
    if (u ~ /^Kelem/) v /= 1000; else if (u ~ /^Gelem/) v *= 1000
    printf "%s %.2f\n", id, v
    id = ""
}
