"""RDS: instances and snapshots compared with moto after the simulator's clock has moved past the
transient states (moto makes everything `available` at once, MOTO-NOTES §4); the state timeline,
cross-account copy by ARN and the validation moto skips, asserted on the simulator.

These tests advance the simulator's virtual clock, so they run last (conftest.py)."""
import pytest

import wf
from wf import ACCOUNT_B, error, observe, run_both

pytestmark = pytest.mark.advances_clock

PASSWORD = "wire-fidelity-pw-1"


def settle(b, seconds=3600):
    """Moves the simulator past creating/backing-up/copying; moto needs nothing."""
    if isinstance(b, wf.SimBackend):
        b.advance(seconds)


def create_instance(rds, ident, **extra):
    return rds.create_db_instance(DBInstanceIdentifier=ident, DBInstanceClass="db.t3.micro", Engine="mysql",
                                  EngineVersion="8.0.35", AllocatedStorage=20, MasterUsername="admin",
                                  MasterUserPassword=PASSWORD, **extra)["DBInstance"]


def instance_fields(i):
    return {k: i.get(k) for k in ("DBInstanceIdentifier", "DBInstanceClass", "Engine", "EngineVersion", "AllocatedStorage",
                                  "MasterUsername", "DBInstanceArn", "StorageEncrypted", "MultiAZ", "DeletionProtection")}


def snapshot_fields(s):
    return {k: s.get(k) for k in ("DBSnapshotIdentifier", "DBInstanceIdentifier", "DBSnapshotArn", "SnapshotType", "Engine",
                                  "EngineVersion", "AllocatedStorage", "MasterUsername", "Encrypted", "Port")} | {
        "SnapshotCreateTime": wf.is_date(s.get("SnapshotCreateTime"))}


def instances_and_snapshots(b, db, snap, copy):
    rds = b.client("rds")
    o = {}
    created = create_instance(rds, db, Tags=[{"Key": "team", "Value": "data"}])
    o["create"] = instance_fields(created)
    o["create status"] = created["DBInstanceStatus"]
    o["create again"] = observe(create_instance, rds, db)
    settle(b)
    described = rds.describe_db_instances(DBInstanceIdentifier=db)["DBInstances"]
    o["describe"] = [instance_fields(i) for i in described]
    o["describe status"] = described[0]["DBInstanceStatus"]
    o["endpoint"] = (described[0]["Endpoint"]["Port"], described[0]["Endpoint"]["Address"].startswith(f"{db}."),
                     described[0]["Endpoint"]["Address"].endswith(".us-east-1.rds.amazonaws.com"))
    o["describe missing"] = observe(rds.describe_db_instances, DBInstanceIdentifier=db + "-missing")
    o["filter by id"] = [i["DBInstanceIdentifier"] for i in
                         rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": [db]}])["DBInstances"]]

    taken = rds.create_db_snapshot(DBSnapshotIdentifier=snap, DBInstanceIdentifier=db)["DBSnapshot"]
    o["snapshot"] = snapshot_fields(taken)
    o["snapshot create status"] = taken["Status"]
    o["snapshot of missing instance"] = observe(rds.create_db_snapshot, DBSnapshotIdentifier=snap + "-x",
                                                DBInstanceIdentifier=db + "-missing")
    settle(b)
    # (Asked after settling: while the instance is `backing-up` the simulator answers
    # InvalidDBInstanceState first, which AWS also does for an instance that is not available.)
    o["snapshot again"] = observe(rds.create_db_snapshot, DBSnapshotIdentifier=snap, DBInstanceIdentifier=db)
    snaps = rds.describe_db_snapshots(DBSnapshotIdentifier=snap)["DBSnapshots"]
    o["describe snapshot"] = [(snapshot_fields(s), s["Status"]) for s in snaps]
    o["manual snapshots of instance"] = [s["DBSnapshotIdentifier"] for s in
                                         rds.describe_db_snapshots(DBInstanceIdentifier=db, SnapshotType="manual")["DBSnapshots"]]
    o["describe missing snapshot"] = observe(rds.describe_db_snapshots, DBSnapshotIdentifier=snap + "-missing")

    o["share"] = observe(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=snap, AttributeName="restore",
                         ValuesToAdd=[ACCOUNT_B], pick=lambda r: [
                             (a["AttributeName"], a["AttributeValues"]) for a in r["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]])
    attrs = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=snap)["DBSnapshotAttributesResult"]
    o["attributes"] = (attrs["DBSnapshotIdentifier"], [(a["AttributeName"], a["AttributeValues"]) for a in attrs["DBSnapshotAttributes"]])
    o["share bad attribute"] = observe(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=snap, AttributeName="bogus",
                                       ValuesToAdd=[ACCOUNT_B])
    o["attributes of missing"] = observe(rds.describe_db_snapshot_attributes, DBSnapshotIdentifier=snap + "-missing")
    o["unshare"] = observe(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=snap, AttributeName="restore",
                           ValuesToRemove=[ACCOUNT_B], pick=lambda r: [
                               (a["AttributeName"], a["AttributeValues"]) for a in r["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]])

    copied = rds.copy_db_snapshot(SourceDBSnapshotIdentifier=snap, TargetDBSnapshotIdentifier=copy, CopyTags=True)["DBSnapshot"]
    o["copy"] = {k: v for k, v in snapshot_fields(copied).items() if k != "DBSnapshotIdentifier"} | {
        "id": copied["DBSnapshotIdentifier"]}
    o["copy status"] = copied["Status"]
    # Only a cross-account or cross-Region copy names its source (BC-RDS DBSnapshot.SourceDBSnapshotIdentifier).
    o["copy source"] = copied.get("SourceDBSnapshotIdentifier")
    o["copy again"] = observe(rds.copy_db_snapshot, SourceDBSnapshotIdentifier=snap, TargetDBSnapshotIdentifier=copy)
    o["copy missing"] = observe(rds.copy_db_snapshot, SourceDBSnapshotIdentifier=snap + "-missing",
                                TargetDBSnapshotIdentifier=copy + "-x")
    settle(b)
    o["copy settled"] = [(s["Status"], s["SnapshotType"]) for s in rds.describe_db_snapshots(DBSnapshotIdentifier=copy)["DBSnapshots"]]

    restored = rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier=db + "-r", DBSnapshotIdentifier=copy,
                                                        DBInstanceClass="db.t3.small")["DBInstance"]
    o["restore"] = {k: v for k, v in instance_fields(restored).items() if k not in ("DBInstanceIdentifier", "DBInstanceArn")}
    o["restore status"] = restored["DBInstanceStatus"]
    o["restore again"] = observe(rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier=db + "-r", DBSnapshotIdentifier=copy)
    o["restore from missing"] = observe(rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier=db + "-r2",
                                        DBSnapshotIdentifier=copy + "-missing")
    settle(b)
    o["restored settled"] = [(i["DBInstanceStatus"], i["DBInstanceClass"]) for i in
                             rds.describe_db_instances(DBInstanceIdentifier=db + "-r")["DBInstances"]]
    rds.delete_db_instance(DBInstanceIdentifier=db + "-r", SkipFinalSnapshot=True)
    for s in (copy, snap):
        deleted = rds.delete_db_snapshot(DBSnapshotIdentifier=s)["DBSnapshot"]
        o[f"delete snapshot {s == snap}"] = (deleted["DBSnapshotIdentifier"], deleted["Status"])
    o["delete snapshot again"] = observe(rds.delete_db_snapshot, DBSnapshotIdentifier=snap)
    gone = rds.delete_db_instance(DBInstanceIdentifier=db, SkipFinalSnapshot=True)["DBInstance"]
    o["delete instance"] = (gone["DBInstanceIdentifier"], gone["DBInstanceStatus"])
    settle(b)
    o["describe deleted"] = observe(rds.describe_db_instances, DBInstanceIdentifier=db)
    o["delete missing"] = observe(rds.delete_db_instance, DBInstanceIdentifier=db, SkipFinalSnapshot=True)
    return o


def test_instance_snapshot_share_copy_delete(backends, name):
    deliberate = {"create status", "snapshot create status", "copy status", "restore status", "delete snapshot True", "delete snapshot False"}
    sim_obs, moto_obs = run_both(backends, instances_and_snapshots, name("db"), name("snap"), name("copy"), ignore=deliberate)
    # DIFFERENCES.md RDS-1: resources start in their transient states (creating, copying) and
    # settle to `available`; moto makes them available at once.
    assert (sim_obs["create status"], moto_obs["create status"]) == ("creating", "available")
    assert sim_obs["snapshot create status"] == "creating"
    assert sim_obs["copy status"] in ("creating", "copying")
    assert sim_obs["restore status"] == "creating"
    # DIFFERENCES.md RDS-2: DeleteDBSnapshot answers the snapshot with Status `deleted` (RDS API
    # Reference, DeleteDBSnapshot sample response); moto echoes `available`.
    for key in ("delete snapshot True", "delete snapshot False"):
        assert sim_obs[key][1] == "deleted" and moto_obs[key] == (sim_obs[key][0], "available")


def clusters(b, cluster, snap, copy):
    rds = b.client("rds")
    o = {}
    created = rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-mysql", MasterUsername="admin",
                                    MasterUserPassword=PASSWORD)["DBCluster"]
    o["create"] = (created["DBClusterIdentifier"], created["Engine"], created["MasterUsername"], created["DBClusterArn"])
    o["create status"] = created["Status"]
    settle(b)
    described = rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"]
    o["describe"] = [(c["DBClusterIdentifier"], c["Status"], c["Engine"], c["StorageEncrypted"]) for c in described]
    o["describe missing"] = observe(rds.describe_db_clusters, DBClusterIdentifier=cluster + "-missing")
    taken = rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier=snap, DBClusterIdentifier=cluster)["DBClusterSnapshot"]
    o["snapshot"] = (taken["DBClusterSnapshotIdentifier"], taken["DBClusterIdentifier"], taken["Engine"], taken["SnapshotType"],
                     taken["DBClusterSnapshotArn"])
    o["snapshot status"] = taken["Status"]
    settle(b)
    o["snapshot again"] = observe(rds.create_db_cluster_snapshot, DBClusterSnapshotIdentifier=snap, DBClusterIdentifier=cluster)
    o["describe snapshot"] = [(s["DBClusterSnapshotIdentifier"], s["Status"]) for s in
                              rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=snap)["DBClusterSnapshots"]]
    o["describe missing snapshot"] = observe(rds.describe_db_cluster_snapshots, DBClusterSnapshotIdentifier=snap + "-missing")
    o["share"] = observe(rds.modify_db_cluster_snapshot_attribute, DBClusterSnapshotIdentifier=snap, AttributeName="restore",
                         ValuesToAdd=[ACCOUNT_B])
    attrs = rds.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier=snap)["DBClusterSnapshotAttributesResult"]
    o["attributes"] = [(a["AttributeName"], a["AttributeValues"]) for a in attrs["DBClusterSnapshotAttributes"]]
    copied = rds.copy_db_cluster_snapshot(SourceDBClusterSnapshotIdentifier=snap, TargetDBClusterSnapshotIdentifier=copy)
    o["copy"] = (copied["DBClusterSnapshot"]["DBClusterSnapshotIdentifier"], copied["DBClusterSnapshot"]["Engine"])
    settle(b)
    o["copy settled"] = [s["Status"] for s in rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=copy)["DBClusterSnapshots"]]
    return o


def test_cluster_snapshot_share_copy(backends, name):
    sim_obs, moto_obs = run_both(backends, clusters, name("cl"), name("clsnap"), name("clcopy"),
                                 ignore={"snapshot status"})
    assert sim_obs["create status"] == "creating"  # moto too: its clusters start `creating`
    assert sim_obs["snapshot status"] == "creating"


def test_instance_state_timeline_simulator_only(sim, name):
    """moto has no RDS states (MOTO-NOTES §4, gap 3). AWS: creating → backing-up → available, a
    snapshot `creating` with PercentProgress and the instance `backing-up` meanwhile, a copy
    `copying`/`creating`, delete `deleting` then gone (BC-RDSW waiters; RDSUG-2023 Overview.DBInstance.Status)."""
    rds = sim.client("rds")
    db, snap, copy = name("timeline"), name("tlsnap"), name("tlcopy")
    create_instance(rds, db)

    def status():
        return rds.describe_db_instances(DBInstanceIdentifier=db)["DBInstances"][0]["DBInstanceStatus"]

    assert status() == "creating"
    assert error(rds.create_db_snapshot, DBSnapshotIdentifier=snap, DBInstanceIdentifier=db) == (400, "InvalidDBInstanceState")
    sim.advance(600)
    assert status() == "backing-up"
    sim.advance(120)
    assert status() == "available"
    taken = rds.create_db_snapshot(DBSnapshotIdentifier=snap, DBInstanceIdentifier=db)["DBSnapshot"]
    assert (taken["Status"], taken.get("PercentProgress")) == ("creating", 0)
    assert status() == "backing-up"
    sim.advance(150)
    mid = rds.describe_db_snapshots(DBSnapshotIdentifier=snap)["DBSnapshots"][0]
    assert mid["Status"] == "creating" and 0 < mid["PercentProgress"] < 100
    sim.advance(150)
    done = rds.describe_db_snapshots(DBSnapshotIdentifier=snap)["DBSnapshots"][0]
    assert (done["Status"], done["PercentProgress"]) == ("available", 100)
    assert status() == "available"
    # A final snapshot is required unless skipped (BC-RDS DeleteDBInstance); moto lets it pass.
    assert error(rds.delete_db_instance, DBInstanceIdentifier=db) == (400, "InvalidParameterCombination")
    gone = rds.delete_db_instance(DBInstanceIdentifier=db, SkipFinalSnapshot=True)["DBInstance"]
    assert gone["DBInstanceStatus"] == "deleting"
    assert status() == "deleting"
    sim.advance(3600)
    assert error(rds.describe_db_instances, DBInstanceIdentifier=db) == (404, "DBInstanceNotFound")
    # The manual snapshot outlives its instance.
    assert rds.describe_db_snapshots(DBSnapshotIdentifier=snap)["DBSnapshots"][0]["Status"] == "available"


def test_cross_account_snapshot_copy_by_arn_simulator_only(sim, name):
    """moto cannot copy a snapshot shared from another account (it ignores the ARN's account,
    MOTO-NOTES §4, gap 2). AWS: the target account sees it with SnapshotType=shared, must copy it
    by ARN, and gets DBSnapshotNotFound when it is not shared (BC-RDS CopyDBSnapshot
    SourceDBSnapshotIdentifier, DescribeDBSnapshots SnapshotType; AWS-NOTES §5.1-5.2)."""
    rds_a = sim.client("rds")
    db, snap, copy = name("xacct"), name("xsnap"), name("xcopy")
    create_instance(rds_a, db)
    sim.advance(3600)
    arn = rds_a.create_db_snapshot(DBSnapshotIdentifier=snap, DBInstanceIdentifier=db)["DBSnapshot"]["DBSnapshotArn"]
    sim.advance(3600)
    # Describe by the owner's own ARN works (moto does not resolve ARNs, MOTO-FINDINGS).
    assert rds_a.describe_db_snapshots(DBSnapshotIdentifier=arn)["DBSnapshots"][0]["DBSnapshotIdentifier"] == snap
    rds_b = sim.client("rds", "B")
    assert error(rds_b.copy_db_snapshot, SourceDBSnapshotIdentifier=arn, TargetDBSnapshotIdentifier=copy) == (404, "DBSnapshotNotFound")
    rds_a.modify_db_snapshot_attribute(DBSnapshotIdentifier=snap, AttributeName="restore", ValuesToAdd=[ACCOUNT_B])
    assert rds_b.describe_db_snapshots()["DBSnapshots"] == []
    shared = rds_b.describe_db_snapshots(SnapshotType="shared")["DBSnapshots"]
    assert [(s["DBSnapshotArn"], s["SnapshotType"]) for s in shared] == [(arn, "shared")]
    assert error(rds_b.copy_db_snapshot, SourceDBSnapshotIdentifier=snap, TargetDBSnapshotIdentifier=copy) == (404, "DBSnapshotNotFound")
    copied = rds_b.copy_db_snapshot(SourceDBSnapshotIdentifier=arn, TargetDBSnapshotIdentifier=copy)["DBSnapshot"]
    assert copied["DBSnapshotArn"] == f"arn:aws:rds:us-east-1:{ACCOUNT_B}:snapshot:{copy}"
    assert copied["SourceDBSnapshotIdentifier"] == arn
    sim.advance(3600)
    rds_b = sim.client("rds", "B")  # the assumed-role session expired with the hour
    mine = rds_b.describe_db_snapshots(DBSnapshotIdentifier=copy)["DBSnapshots"][0]
    assert (mine["Status"], mine["SnapshotType"], mine["PercentProgress"]) == ("available", "manual", 100)


def test_rds_validation_moto_skips_simulator_only(sim, name):
    """Validation AWS enforces and moto 5.2.1 does not (MOTO-NOTES §4, gap 12): snapshot sharing
    takes 12-digit account IDs or `all` (BC-RDS ModifyDBSnapshotAttribute); a snapshot encrypted with
    the default aws/rds key cannot be shared (RDSUG-2023 USER_ShareSnapshot.md, AWS-NOTES §5.1); the
    master password has at least 8 characters (BC-RDS CreateDBInstance MasterUserPassword)."""
    rds = sim.client("rds")
    db, snap, enc, enc_snap = name("val"), name("valsnap"), name("valenc"), name("valencsnap")
    create_instance(rds, db)
    create_instance(rds, enc, StorageEncrypted=True)
    sim.advance(3600)
    rds.create_db_snapshot(DBSnapshotIdentifier=snap, DBInstanceIdentifier=db)
    encrypted = rds.create_db_snapshot(DBSnapshotIdentifier=enc_snap, DBInstanceIdentifier=enc)["DBSnapshot"]
    assert encrypted["Encrypted"] and ":key/" in encrypted["KmsKeyId"]
    sim.advance(3600)
    assert error(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=snap, AttributeName="restore",
                 ValuesToAdd=["abc"]) == (400, "InvalidParameterValue")
    status, _ = error(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=enc_snap, AttributeName="restore",
                      ValuesToAdd=[ACCOUNT_B])
    assert status == 400
    assert error(rds.modify_db_snapshot_attribute, DBSnapshotIdentifier=enc_snap, AttributeName="restore",
                 ValuesToAdd=["all"])[0] == 400
    short = dict(DBInstanceIdentifier=name("shortpw"), DBInstanceClass="db.t3.micro", Engine="mysql", AllocatedStorage=20,
                 MasterUsername="admin", MasterUserPassword="abcde")
    assert error(rds.create_db_instance, **short) == (400, "InvalidParameterValue")
