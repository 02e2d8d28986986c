package dev.posflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The kafka_incarnations table: which cluster id and topic id each numbered incarnation of a topic is. */
@ApplicationScoped
public class IncarnationStore {

    private final DataSource dataSource;

    IncarnationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The newest incarnation of the topic, the one ingest writes to; empty for a topic never ingested. */
    @Transactional
    public Optional<KafkaIncarnation> latest(String topic) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select incarnation, cluster_id, topic_id"
                        + " from kafka_incarnations where kafka_topic = ? order by incarnation desc limit 1")) {
            select.setString(1, topic);
            try (ResultSet result = select.executeQuery()) {
                if (!result.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KafkaIncarnation(topic, result.getInt(1),
                        Optional.ofNullable(result.getString(2)), Optional.ofNullable(result.getString(3))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the incarnations of " + topic, e);
        }
    }

    /**
     * Records the next incarnation of the topic (0 for a topic never seen). Two instances doing so at once for the
     * same topic collide on the primary key; the loser fails and reads what the winner wrote.
     */
    @Transactional
    public KafkaIncarnation begin(String topic, String clusterId, String topicId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into kafka_incarnations"
                        + " (kafka_topic, incarnation, cluster_id, topic_id, first_seen)"
                        + " select ?, coalesce(max(incarnation) + 1, 0), ?, ?, utc_timestamp(6)"
                        + " from kafka_incarnations where kafka_topic = ?")) {
            insert.setString(1, topic);
            insert.setString(2, clusterId);
            insert.setString(3, topicId);
            insert.setString(4, topic);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record a new incarnation of " + topic, e);
        }
        return latest(topic).orElseThrow();
    }

    /** Gives an incarnation whose ids were unknown (stored before posflow knew them) the current ids. */
    @Transactional
    public KafkaIncarnation adopt(KafkaIncarnation unknown, String clusterId, String topicId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("update kafka_incarnations"
                        + " set cluster_id = ?, topic_id = ? where kafka_topic = ? and incarnation = ?"
                        + " and cluster_id is null and topic_id is null")) {
            update.setString(1, clusterId);
            update.setString(2, topicId);
            update.setString(3, unknown.topic());
            update.setInt(4, unknown.number());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not adopt incarnation " + unknown, e);
        }
        return latest(unknown.topic()).orElseThrow();
    }
}
