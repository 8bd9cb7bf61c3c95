import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/** Repositories run on the data source, or inside a caller's transaction when given its manager. */
export abstract class TransactionalRepository<T extends ObjectLiteral> {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
  ) {}

  protected repo(manager?: EntityManager): Repository<T> {
    return (manager ?? this.dataSource.manager).getRepository(this.target);
  }
}
