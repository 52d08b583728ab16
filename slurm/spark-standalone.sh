#!/usr/bin/env bash
# Starts a Spark standalone cluster inside a Slurm allocation: the Master on the first node, one Worker per
# node (cores = GPUs per node, so one barrier task lands on each GPU). Sourced by the *.sbatch scripts.
# Requires: SPARK_HOME built by bin/make-spark-home on a shared filesystem.
set -euo pipefail
: "${SPARK_HOME:?set SPARK_HOME (bin/make-spark-home)}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
MASTER_HOST=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
export SPARK_MASTER_URL="spark://$MASTER_HOST:$MASTER_PORT"
WORKER_CORES="${SPARK_WORKER_CORES:-${SLURM_GPUS_ON_NODE:-$SLURM_CPUS_ON_NODE}}"
WORKER_MEMORY="${SPARK_WORKER_MEMORY:-$(( ${SLURM_MEM_PER_NODE:-65536} * 9 / 10 ))m}"
LOGS="${SPARK_LOG_DIR:-$PWD/spark-logs/$SLURM_JOB_ID}"
mkdir -p "$LOGS"

srun --nodes=1 --ntasks=1 -w "$MASTER_HOST" --overlap \
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
  --host "$MASTER_HOST" --port "$MASTER_PORT" --webui-port 8080 > "$LOGS/master.log" 2>&1 &
for _ in $(seq 60); do grep -q "I have been elected leader" "$LOGS/master.log" 2>/dev/null && break; sleep 1; done

srun --nodes="$SLURM_JOB_NUM_NODES" --ntasks-per-node=1 --overlap bash -c \
  "exec \"$SPARK_HOME/bin/spark-class\" org.apache.spark.deploy.worker.Worker --host \$(hostname -i | awk '{print \$1}') \
   --cores $WORKER_CORES --memory $WORKER_MEMORY --work-dir /tmp/spark-work-$SLURM_JOB_ID $SPARK_MASTER_URL" \
  > "$LOGS/workers.log" 2>&1 &
for _ in $(seq 120); do
  n=$(grep -c "Successfully registered with master" "$LOGS/workers.log" 2>/dev/null || true)
  [[ "$n" -ge "$SLURM_JOB_NUM_NODES" ]] && break; sleep 1
done
echo "spark standalone: $SPARK_MASTER_URL, $SLURM_JOB_NUM_NODES workers x $WORKER_CORES cores (logs: $LOGS)"
