import Foundation

/// The result shapes (BC-RDS `DBInstance`, `DBSnapshot`, `DBCluster`, `DBClusterSnapshot`,
/// `DB[Cluster]SnapshotAttributesResult`), with the status and progress of the caller's now.
extension RDSService {
    static func write(_ i: SimDBInstance, now: Date, into w: inout QueryXMLWriter) {
        let status = i.status(at: now)
        w.element("DBInstance") { x in
            x.leaf("DBInstanceIdentifier", i.identifier)
            x.leaf("DBInstanceClass", i.instanceClass)
            x.leaf("Engine", i.engine)
            x.leaf("DBInstanceStatus", status)
            x.leaf("MasterUsername", i.masterUsername)
            // RDS reports no endpoint until the instance has been created.
            if status != "creating" {
                x.element("Endpoint") { e in
                    e.leaf("Address", i.endpointAddress)
                    e.leaf("Port", i.port)
                    e.leaf("HostedZoneId", "Z2R2ITUGPM61AM")
                }
            }
            x.leaf("AllocatedStorage", i.allocatedStorage)
            if status != "creating" { x.leaf("InstanceCreateTime", i.createdAt) }
            x.leaf("BackupRetentionPeriod", i.backupRetentionPeriod)
            x.element("DBSecurityGroups") { _ in }
            x.element("VpcSecurityGroups") { v in
                for group in i.securityGroupIds {
                    v.element("VpcSecurityGroupMembership") { m in
                        m.leaf("VpcSecurityGroupId", group)
                        m.leaf("Status", "active")
                    }
                }
            }
            x.element("DBParameterGroups") { g in
                g.element("DBParameterGroup") { m in
                    m.leaf("DBParameterGroupName", i.parameterGroupName)
                    m.leaf("ParameterApplyStatus", "in-sync")
                }
            }
            x.leaf("AvailabilityZone", i.availabilityZone)
            x.element("DBSubnetGroup") { g in
                g.leaf("DBSubnetGroupName", i.subnetGroupName)
                g.leaf("DBSubnetGroupDescription", i.subnetGroupName)
                g.leaf("VpcId", i.vpcId)
                g.leaf("SubnetGroupStatus", "Complete")
            }
            x.leaf("MultiAZ", i.multiAZ)
            x.leaf("EngineVersion", i.engineVersion)
            x.leaf("AutoMinorVersionUpgrade", true)
            x.element("OptionGroupMemberships") { g in
                g.element("OptionGroupMembership") { m in
                    m.leaf("OptionGroupName", i.optionGroupName)
                    m.leaf("Status", "in-sync")
                }
            }
            x.leaf("PubliclyAccessible", i.publiclyAccessible)
            x.leaf("StorageType", i.storageType)
            x.leaf("DbInstancePort", 0)
            x.leaf("DBClusterIdentifier", i.clusterIdentifier)
            x.leaf("StorageEncrypted", i.storageEncrypted)
            x.leaf("KmsKeyId", i.kmsKeyId)
            x.leaf("DbiResourceId", i.dbiResourceId)
            x.leaf("DBInstanceArn", i.arn)
            x.leaf("DeletionProtection", i.deletionProtection)
            x.tags(i.tags)
        }
    }

    /// `snapshotType` overrides the stored type for other accounts: `shared` or `public`.
    static func write(_ s: SimDBSnapshot, now: Date, snapshotType: String? = nil, into w: inout QueryXMLWriter) {
        switch s.kind {
        case .instance:
            w.element("DBSnapshot") { x in
                x.leaf("DBSnapshotIdentifier", s.identifier)
                x.leaf("DBInstanceIdentifier", s.sourceIdentifier)
                x.leaf("SnapshotCreateTime", s.createdAt)
                x.leaf("Engine", s.engine)
                x.leaf("AllocatedStorage", s.allocatedStorage)
                x.leaf("Status", s.status(at: now))
                x.leaf("Port", s.port)
                x.leaf("AvailabilityZone", s.availabilityZone)
                x.leaf("VpcId", s.vpcId)
                x.leaf("MasterUsername", s.masterUsername)
                x.leaf("EngineVersion", s.engineVersion)
                x.leaf("LicenseModel", RDSService.licenseModel(s.engine))
                x.leaf("SnapshotType", snapshotType ?? s.snapshotType)
                x.leaf("OptionGroupName", s.optionGroupName)
                x.leaf("PercentProgress", s.percentProgress(at: now))
                x.leaf("SourceRegion", s.sourceRegion)
                x.leaf("SourceDBSnapshotIdentifier", s.sourceSnapshotArn)
                x.leaf("StorageType", s.storageType)
                x.leaf("Encrypted", s.encrypted)
                x.leaf("KmsKeyId", s.kmsKeyId)
                x.leaf("DBSnapshotArn", s.arn)
                x.leaf("IAMDatabaseAuthenticationEnabled", false)
                x.tags(s.tags)
                x.leaf("OriginalSnapshotCreateTime", s.originalCreatedAt)
                x.leaf("SnapshotTarget", "region")
            }
        case .cluster:
            w.element("DBClusterSnapshot") { x in
                x.leaf("DBClusterSnapshotIdentifier", s.identifier)
                x.leaf("DBClusterIdentifier", s.sourceIdentifier)
                x.leaf("SnapshotCreateTime", s.createdAt)
                x.leaf("Engine", s.engine)
                x.leaf("EngineMode", "provisioned")
                x.leaf("AllocatedStorage", s.allocatedStorage)
                x.leaf("Status", s.status(at: now))
                x.leaf("Port", s.port)
                x.leaf("VpcId", s.vpcId)
                x.leaf("MasterUsername", s.masterUsername)
                x.leaf("EngineVersion", s.engineVersion)
                x.leaf("LicenseModel", RDSService.licenseModel(s.engine))
                x.leaf("SnapshotType", snapshotType ?? s.snapshotType)
                x.leaf("PercentProgress", s.percentProgress(at: now))
                x.leaf("StorageEncrypted", s.encrypted)
                x.leaf("KmsKeyId", s.kmsKeyId)
                x.leaf("DBClusterSnapshotArn", s.arn)
                x.leaf("SourceDBClusterSnapshotArn", s.sourceSnapshotArn)
                x.leaf("IAMDatabaseAuthenticationEnabled", false)
                x.tags(s.tags)
            }
        }
    }

    static func write(_ c: SimDBCluster, now: Date, into w: inout QueryXMLWriter) {
        let status = c.status(at: now)
        w.element("DBCluster") { x in
            x.leaf("AllocatedStorage", 1)
            x.leaf("BackupRetentionPeriod", 1)
            x.leaf("DBClusterIdentifier", c.identifier)
            x.leaf("DBClusterParameterGroup", c.clusterParameterGroupName)
            x.leaf("DBSubnetGroup", c.subnetGroupName)
            x.leaf("Status", status)
            if status != "creating" {
                x.leaf("Endpoint", c.endpoint)
                x.leaf("ReaderEndpoint", c.readerEndpoint)
            }
            x.leaf("MultiAZ", c.members.count > 1)
            x.leaf("Engine", c.engine)
            x.leaf("EngineVersion", c.engineVersion)
            x.leaf("Port", c.port)
            x.leaf("MasterUsername", c.masterUsername)
            x.element("DBClusterMembers") { m in
                for (index, member) in c.members.enumerated() {
                    m.element("DBClusterMember") { e in
                        e.leaf("DBInstanceIdentifier", member)
                        e.leaf("IsClusterWriter", index == 0)
                        e.leaf("DBClusterParameterGroupStatus", "in-sync")
                        e.leaf("PromotionTier", 1)
                    }
                }
            }
            x.element("VpcSecurityGroups") { v in
                for group in c.securityGroupIds {
                    v.element("VpcSecurityGroupMembership") { m in
                        m.leaf("VpcSecurityGroupId", group)
                        m.leaf("Status", "active")
                    }
                }
            }
            x.leaf("StorageEncrypted", c.storageEncrypted)
            x.leaf("KmsKeyId", c.kmsKeyId)
            x.leaf("DbClusterResourceId", RDSNames.resourceId(c.arn, prefix: "cluster"))
            x.leaf("DBClusterArn", c.arn)
            x.leaf("ClusterCreateTime", c.createdAt)
            x.leaf("EngineMode", "provisioned")
            x.leaf("DeletionProtection", c.deletionProtection)
            x.tags(c.tags)
        }
    }

    static func writeAttributes(_ s: SimDBSnapshot, into w: inout QueryXMLWriter) {
        let prefix = s.kind == .instance ? "DBSnapshot" : "DBClusterSnapshot"
        w.element("\(prefix)AttributesResult") { x in
            x.leaf("\(prefix)Identifier", s.identifier)
            x.element("\(prefix)Attributes") { a in
                a.element("\(prefix)Attribute") { e in
                    e.leaf("AttributeName", "restore")
                    e.list("AttributeValues", member: "AttributeValue", s.sharedWith)
                }
            }
        }
    }

    static func licenseModel(_ engine: String) -> String {
        switch engine {
        case let e where e.contains("postgres"): "postgresql-license"
        case let e where e.hasPrefix("oracle") || e.hasPrefix("sqlserver"): "license-included"
        default: "general-public-license"
        }
    }
}
