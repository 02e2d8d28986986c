#!/usr/bin/env bash
# How long changeset 7 (source and topic names by code point, src/main/resources/db/changelog.xml) takes on N rows,
# and whether writes wait for it: see docs/delivery.md ("Source names by code point").
#
#   bench/collation-migration.sh [N]      N rows in positions (default 1,000,000)
#
# Needs only the mysql client and python3, and MariaDB/MySQL on 127.0.0.1:3306 (root, empty password; BENCH_DB_HOST,
# BENCH_DB_PORT to change). Database ${BENCH_DB_PREFIX:-bench}_collation is created and dropped here. In order:
#   1. the tables as changesets 1 to 6 leave them (the names in the database's default collation, latest_positions'
#      source binary), N rows spread over 1,000 sources, one latest_positions row per source;
#   2. a writer alone for 5 s: single-row inserts into positions, autocommit, one session (a stored procedure, so
#      that each insert's own time is measured in the server, without client round trips): inserts/s and the slowest;
#   3. the same writer running while changeset 7's statements (read from changelog.xml, unchanged) run on a second
#      session: each statement's duration, and what the writer did during the ALTER of positions (inserts that
#      completed while it ran, the slowest insert); then the ALTER of positions once more, on the converted table
#      (what Liquibase meets where an operator converted the table ahead of the upgrade).
set -euo pipefail

N=${1:-1000000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
DB=${BENCH_DB_PREFIX:-bench}_collation
MYSQL=(mysql -uroot -h"${BENCH_DB_HOST:-127.0.0.1}" -P"${BENCH_DB_PORT:-3306}" --batch --skip-column-names)
sql() { "${MYSQL[@]}" "$@"; }
db() { "${MYSQL[@]}" "$DB" "$@"; }
now() { date +%s.%N; }
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
log() { echo "[$(date +%T)] $*" >&2; }
WRITER_PID=
cleanup() {
    [ -n "$WRITER_PID" ] && kill "$WRITER_PID" 2>/dev/null || true
    sql -e "drop database if exists $DB" || true
}
trap cleanup EXIT

echo "server: $(sql -e 'select concat(version(), ", default collation ", @@collation_server)'); $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg); N=$N"

# 1. the schema before changeset 7 (as Liquibase's createTable/addColumn/createIndex of changesets 1-6 make it)
sql -e "drop database if exists $DB; create database $DB"
db <<'SQL'
create table positions (
  id bigint auto_increment not null, source varchar(64) not null, sampled_at datetime(6) not null, x int not null,
  y int not null, received_at datetime(6) not null, kafka_topic varchar(249) not null,
  kafka_incarnation int default 0 not null, kafka_partition int not null, kafka_offset bigint not null,
  constraint pk_positions primary key (id),
  constraint uk_positions_kafka unique (kafka_topic, kafka_incarnation, kafka_partition, kafka_offset));
create index idx_positions_source_sampled_at on positions (source, sampled_at);
create index idx_positions_sampled_at on positions (sampled_at);
create table latest_positions (
  source varchar(64) character set utf8mb4 collate utf8mb4_bin not null, sampled_at datetime(6) not null,
  kafka_topic varchar(249) not null, kafka_incarnation int default 0 not null, kafka_partition int not null,
  kafka_offset bigint not null, row_count bigint default 0 not null, first_sampled_at datetime(6) null,
  changed_at datetime(6) not null default current_timestamp(6) on update current_timestamp(6),
  constraint pk_latest_positions primary key (source));
create index idx_latest_positions_changed_at on latest_positions (changed_at);
create table ingest_offsets (kafka_topic varchar(249) not null, kafka_incarnation int default 0 not null,
  kafka_partition int not null, next_offset bigint not null,
  constraint pk_ingest_offsets primary key (kafka_topic, kafka_incarnation, kafka_partition));
create table kafka_incarnations (kafka_topic varchar(249) not null, incarnation int not null,
  cluster_id varchar(64) null, topic_id varchar(64) null, first_seen datetime(6) not null,
  constraint pk_kafka_incarnations primary key (kafka_topic, incarnation));
create table digits (d int not null);
insert into digits values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
create table write_log (started datetime(6) not null, micros bigint not null);
create table writer_stop (stop int);
SQL
log "filling $N rows"
# n = 0..N-1 from as many tables of digits as N-1 has digits
places=${#N}; [ "$N" -gt 1 ] && places=$(( ${#N} - ( $(( N - 1 )) < 10 ** (${#N} - 1) ? 1 : 0 ) ))
number=0; tables=
for ((p = 0; p < places; p++)); do
    number="$number + $((10 ** p)) * d$p.d"; tables="${tables:+$tables, }digits d$p"
done
started=$(now)
db -e "insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset)
       select concat('src-', n mod 1000), timestampadd(second, n, '2024-01-01'), n mod 1920, n mod 1080,
              timestampadd(second, n, '2024-01-01'), 'bench', 0, n
       from (select $number as n from $tables) numbers
       where n < $N;
       insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset, row_count,
                                     first_sampled_at)
       select source, max(sampled_at), 'bench', 0, max(kafka_offset), count(*), min(sampled_at)
       from positions group by source;
       insert into ingest_offsets (kafka_topic, kafka_partition, next_offset) values ('bench', 0, $N);
       insert into kafka_incarnations (kafka_topic, incarnation, first_seen) values ('bench', 0, utc_timestamp(6));
       analyze table positions, latest_positions" > /dev/null
echo "fill: $(db -e 'select count(*) from positions') rows, $(db -e 'select count(*) from latest_positions')" \
     "sources, in $(seconds "$started" "$(now)") s"

# 2. the writer: single-row inserts until writer_stop has a row (or for a given number of seconds)
db <<SQL
delimiter //
create procedure bench_writer(in for_seconds int)
begin
  declare i bigint default 0;
  declare t0 datetime(6);
  declare until_time datetime(6) default timestampadd(second, for_seconds, sysdate(6));
  while sysdate(6) < until_time and not exists (select 1 from writer_stop) do
    set t0 = sysdate(6);
    insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset)
    values (concat('src-', i mod 1000), t0, 1, 1, t0, 'writer', 0, i);
    insert into write_log values (t0, timestampdiff(microsecond, t0, sysdate(6)));
    set i = i + 1;
  end while;
end//
delimiter ;
SQL
writer_figures() { # from to: inserts that started in [from, to), and the slowest of them
    db -e "select concat(count(*), ' inserts (', round(count(*) / greatest(timestampdiff(microsecond, '$1', '$2') / 1e6,
             0.001)), '/s), slowest ', round(coalesce(max(micros), 0) / 1000, 1), ' ms')
           from write_log where started >= '$1' and started < '$2'"
}
db -e "truncate write_log; delete from writer_stop"
t0=$(db -e 'select sysdate(6)')
db -e "call bench_writer(5)"
t1=$(db -e 'select sysdate(6)')
echo "writer alone (5 s): $(writer_figures "$t0" "$t1")"
db -e "truncate write_log; delete from positions where kafka_topic = 'writer'"

# 3. changeset 7 while the writer runs
python3 - "$REPO/src/main/resources/db/changelog.xml" > "/tmp/$DB-changeset7.sql" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {'l': 'http://www.liquibase.org/xml/ns/dbchangelog'}
change = [c for c in ET.parse(sys.argv[1]).getroot().findall('l:changeSet', ns) if c.get('id').startswith('7-')][0]
for statement in change.findall('l:sql', ns):
    print(' '.join(statement.text.split()) + ';')
PY
db -e "call bench_writer(3600)" &
WRITER_PID=$!
sleep 3
statement=0
while IFS= read -r each; do
    statement=$((statement + 1))
    # timed in the server, in the statement's own session: from, to, seconds
    read -r from_date from_time to_date to_time took < <(db -e "set @from = sysdate(6); $each
        select @from, sysdate(6), round(timestampdiff(microsecond, @from, sysdate(6)) / 1e6, 2)")
    echo "changeset 7, statement $statement (${each:0:60}...): $took s;" \
         "writer meanwhile: $(writer_figures "$from_date $from_time" "$to_date $to_time")"
done < "/tmp/$DB-changeset7.sql"
# what an operator who converted positions ahead of the upgrade (pt-online-schema-change, gh-ost) meets when
# Liquibase then runs changeset 7: its ALTER of positions again, on a table already converted
again=$(head -1 "/tmp/$DB-changeset7.sql")
read -r took < <(db -e "set @from = sysdate(6); $again select round(timestampdiff(microsecond, @from, sysdate(6)) / 1e6, 2)")
echo "statement 1 again, on the converted table: $took s"
sleep 3
db -e "insert into writer_stop values (1)"
wait "$WRITER_PID"
WRITER_PID=
echo "after: $(db -e "select count(*) from positions where kafka_topic <> 'writer'") rows of the fill kept," \
     "$(db -e "select count(*) from information_schema.columns where table_schema = database()
               and column_name in ('source', 'kafka_topic') and collation_name = 'utf8mb4_bin'") name columns utf8mb4_bin"
rm -f "/tmp/$DB-changeset7.sql"
