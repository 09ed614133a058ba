#!/bin/sh
# clickhouse_start.sh DIR HTTP_PORT TCP_PORT [CLUSTER SHARD_TCP_PORT...]
#
# Start a throw-away clickhouse-server for the tests: data, logs and
# config under DIR, listening on 127.0.0.1 only, user "default" with the
# password in $CT_CH_PASSWORD (empty when unset). With CLUSTER, a
# remote_servers entry of that name has one shard per SHARD_TCP_PORT
# (all on 127.0.0.1). Prints nothing; waits until /ping answers; exits 1
# (with the server log) when the server does not come up in 30 s. The
# server's pid is in DIR/pid.
set -eu
dir=$1 http=$2 tcp=$3
shift 3
mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files" "$dir/format_schemas"
server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
{
	echo '<?xml version="1.0"?>'
	echo '<yandex>'
	echo "  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><size>10M</size><count>1</count></logger>"
	echo "  <http_port>$http</http_port><tcp_port>$tcp</tcp_port>"
	echo "  <interserver_http_port>$((tcp + 9))</interserver_http_port>"
	echo "  <listen_host>127.0.0.1</listen_host>"
	echo "  <path>$dir/data/</path><tmp_path>$dir/tmp/</tmp_path>"
	echo "  <user_files_path>$dir/user_files/</user_files_path>"
	echo "  <format_schema_path>$dir/format_schemas/</format_schema_path>"
	echo "  <mark_cache_size>268435456</mark_cache_size>"
	echo "  <uncompressed_cache_size>268435456</uncompressed_cache_size>"
	echo "  <max_concurrent_queries>50</max_concurrent_queries>"
	echo "  <users_config>$dir/users.xml</users_config>"
	echo "  <default_profile>default</default_profile><default_database>default</default_database>"
	echo "  <timezone>UTC</timezone>"
	echo "  <mlock_executable>false</mlock_executable>"
	if [ $# -gt 0 ]; then
		cluster=$1
		shift
		echo "  <remote_servers><$cluster>"
		for p in "$@"; do
			echo "    <shard><replica><host>127.0.0.1</host><port>$p</port><password>${CT_CH_PASSWORD:-}</password></replica></shard>"
		done
		echo "  </$cluster></remote_servers>"
	fi
	echo '</yandex>'
} >"$dir/config.xml"
cat >"$dir/users.xml" <<USERS
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default>
    <password>${CT_CH_PASSWORD:-}</password>
    <networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota>
  </default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
USERS
"$server" --config-file="$dir/config.xml" >"$dir/log/stdout" 2>&1 &
# the server's own --pid-file writes nothing when it is not a daemon
echo $! >"$dir/pid"
i=0
while [ $i -lt 300 ]; do
	if python3 "$(dirname "$0")/chq.py" "$http" ping; then
		exit 0
	fi
	i=$((i + 1))
	sleep 0.1
done
echo "clickhouse-server on port $http did not start; its log:" >&2
tail -20 "$dir/log/stdout" "$dir/log/error.log" >&2 2>/dev/null || true
kill "$(cat "$dir/pid")" 2>/dev/null || true
exit 1
