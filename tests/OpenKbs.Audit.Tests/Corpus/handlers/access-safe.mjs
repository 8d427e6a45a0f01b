import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  const caller = event.requestContext.authorizer.jwt.claims.sub;
  const id = event.pathParameters.id;
  const order = await db.send(new GetCommand({ TableName: 'orders', Key: { id } }));
  if (order.Item?.owner !== caller) {
    return { statusCode: 403 };
  }
  await db.send(new DeleteCommand({ TableName: 'orders', Key: { id } }));
  return { statusCode: 204 };
};
