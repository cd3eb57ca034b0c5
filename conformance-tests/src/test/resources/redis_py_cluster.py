"""Common redis-py usage against a Redis Cluster: run by RedisPyClusterTest with one seed port.

Prints one line per step that worked; any failure raises, so the exit code is non-zero.
"""
import logging
import sys

from redis.cluster import RedisCluster

# RedisCluster logs every error reply with its traceback (log.exception), among them the NOSCRIPT that
# register_script's EVALSHA expects on first use before it falls back to SCRIPT LOAD; it would do so against
# redis-server too, and the test reads stderr with stdout.
logging.getLogger("redis.cluster").setLevel(logging.CRITICAL)


def main(port):
    rc = RedisCluster(host="127.0.0.1", port=port, decode_responses=True)

    for i in range(200):
        rc.set(f"k{i}", i)
    assert [rc.get(f"k{i}") for i in range(200)] == [str(i) for i in range(200)]
    print("strings across slots ok")

    pipe = rc.pipeline()
    for i in range(100):
        pipe.incr(f"counter:{i}")
    for i in range(100):
        pipe.hset(f"h:{i}", mapping={"a": i, "b": "x"})
    replies = pipe.execute()
    assert replies == [1] * 100 + [2] * 100, replies
    print("pipeline across slots ok")

    rc.rpush("{u}list", "a", "b", "c")
    assert rc.lrange("{u}list", 0, -1) == ["a", "b", "c"]
    rc.zadd("{u}z", {"a": 1, "b": 2.5})
    assert rc.zrange("{u}z", 0, -1, withscores=True) == [("a", 1.0), ("b", 2.5)]
    rc.sadd("{u}s", "x", "y")
    assert rc.smembers("{u}s") == {"x", "y"}
    rc.hset("{u}h", mapping={"f": "v"})
    assert rc.hgetall("{u}h") == {"f": "v"}
    rc.xadd("{u}stream", {"f": "v"}, id="1-1")
    assert rc.xrange("{u}stream") == [("1-1", {"f": "v"})]
    print("data types ok")

    owner = rc.get_redis_connection(rc.get_node_from_key("{u}list"))
    with owner.pipeline(transaction=True) as tx:
        tx.incr("{u}n")
        tx.incr("{u}n")
        tx.lpush("{u}list", "z")
        assert tx.execute() == [1, 2, 4]
    with owner.pipeline() as tx:
        tx.watch("{u}n")
        current = int(tx.get("{u}n"))
        tx.multi()
        tx.set("{u}n", current + 10)
        tx.execute()
    assert rc.get("{u}n") == "12"
    print("transactions on a hash tag ok")

    pubsub = rc.pubsub()
    pubsub.subscribe("news")
    confirmation = pubsub.get_message(timeout=10)
    assert confirmation["type"] == "subscribe", confirmation
    receivers = rc.publish("news", "hello")
    message = pubsub.get_message(timeout=10)
    assert message is not None and message["data"] == "hello", (receivers, message)
    pubsub.close()
    print("pub/sub ok")

    incr_by = rc.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
    assert incr_by(keys=["{u}cnt"], args=[5]) == 5
    assert incr_by(keys=["{u}cnt"], args=[2]) == 7
    assert rc.eval("return {KEYS[1], ARGV[1]}", 1, "{u}k", "a") == ["{u}k", "a"]
    print("scripts ok")


if __name__ == "__main__":
    main(int(sys.argv[1]))
